package io.orchestra.observability.internal;

import io.orchestra.observability.LoggingConfig;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.logs.LogsResult;
import io.orchestra.observability.metrics.MetricType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code processServiceLogs}: parse, mask, enrich, extract metrics, detect errors,
 * store and forward. Never logs a line's text (only counts). Thread-safe.
 */
public final class LogPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(LogPipeline.class);

  private final ObservabilityConfig config;
  private final LoggingConfig lc;
  private final LogStore store;
  private final MetricStore metrics;
  private final BadInputCounters bad;
  private final Consumer<LogRecord> forwarder;

  /** A pipeline into {@code store}; {@code forwarder} may be null. */
  public LogPipeline(
      ObservabilityConfig config, LogStore store, MetricStore metrics, BadInputCounters bad, Consumer<LogRecord> forwarder) {
    this.config = config;
    this.lc = config.logging();
    this.store = store;
    this.metrics = metrics;
    this.bad = bad;
    this.forwarder = forwarder;
  }

  /** Processes {@code lines} of {@code service} at {@code now}. */
  public LogsResult process(String service, List<String> lines, long now) {
    List<LogRecord> records = new ArrayList<>(lines.size());
    List<LogsResult.Rejected> rejected = new ArrayList<>();
    int stored = 0;
    int errors = 0;
    int malformed = 0;
    Map<LogLevel, Integer> perLevel = new EnumMap<>(LogLevel.class);
    Map<String, List<Double>> durations = new HashMap<>();
    Map<String, Integer> statusClasses = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null || line.isBlank()) {
        rejected.add(new LogsResult.Rejected(i, "empty"));
        bad.count("log", "empty");
        continue;
      }
      if (line.length() > lc.maxLineLength()) {
        // Mask the whole line before cutting it: a cut through a card number, an address or a
        // key's value would leave a piece too short to be recognized afterwards.
        String masked = lc.sensitiveDataMasking() ? Masker.mask(line) : line;
        if (masked.length() > lc.maxLineLength()) {
          line = masked.substring(0, lc.maxLineLength());
          bad.count("log", "truncated");
        }
      }
      LogParser.Parsed p = LogParser.parse(line, lc.structuredLogging(), lc.sensitiveDataMasking());
      if (p.malformed) {
        malformed++;
        bad.count("log", "malformed_json");
      }
      LogRecord r = enrich(service, p, now);
      records.add(r);
      perLevel.merge(r.level(), 1, Integer::sum);
      collectFieldMetrics(r, durations, statusClasses);
      if (r.error()) {
        errors++;
      }
      if (r.level().compareTo(lc.logLevel()) >= 0) {
        store.add(r);
        stored++;
      }
      forward(r);
    }
    int extracted = storeExtracted(service, perLevel, durations, statusClasses, now);
    if (malformed > 0 && LOG.isDebugEnabled()) {
      LOG.debug("{} malformed log lines from service {} kept as text", malformed, service);
    }
    return new LogsResult(service, lines.size(), records, stored, errors, malformed, rejected, extracted);
  }

  /** Stores a record produced elsewhere (access logs, events); already masked by the caller. */
  public void ingest(LogRecord r) {
    if (r.level().compareTo(lc.logLevel()) >= 0) {
      store.add(r);
    }
    forward(r);
  }

  private LogRecord enrich(String service, LogParser.Parsed p, long now) {
    String traceId = Ids.traceId(p.rawTraceId);
    if (p.rawTraceId != null && traceId == null) {
      bad.count("log", "invalid_trace_id");
    }
    String spanId = Ids.spanId(p.rawSpanId);
    Map<String, String> fields = p.fields;
    fields.putIfAbsent("environment", config.environment());
    fields.putIfAbsent("cluster", config.cluster());
    LogLevel level = p.level != null ? p.level : LogLevel.INFO;
    boolean error = isError(level, p.level == null, p.message, fields);
    if (error && level.compareTo(LogLevel.ERROR) < 0 && p.level == null) {
      level = LogLevel.ERROR;
    }
    long ts = p.timestamp != null ? p.timestamp : now;
    return new LogRecord(ts, service, level, p.message, traceId, spanId, fields, p.format, error, p.malformed);
  }

  /** The seed's {@code isErrorLog}: a level of ERROR or worse, a 5xx status, or an exception. */
  static boolean isError(LogLevel level, boolean levelUnknown, String message, Map<String, String> fields) {
    if (level.isError()) {
      return true;
    }
    String status = fields.getOrDefault("status", fields.get("status_code"));
    if (status != null && status.length() == 3 && status.charAt(0) == '5') {
      return true;
    }
    return levelUnknown
        && (message.contains("Exception") || message.contains("Traceback (most recent call last)")
            || message.contains("\tat "));
  }

  private static void collectFieldMetrics(
      LogRecord r, Map<String, List<Double>> durations, Map<String, Integer> statusClasses) {
    for (Map.Entry<String, String> f : r.fields().entrySet()) {
      String k = f.getKey().toLowerCase(Locale.ROOT);
      if (k.contains("duration") || k.contains("latency") || k.contains("elapsed") || k.contains("response_time")) {
        try {
          double v = Double.parseDouble(f.getValue());
          if (v >= 0 && Double.isFinite(v)) {
            durations.computeIfAbsent(f.getKey(), x -> new ArrayList<>()).add(v);
          }
        } catch (NumberFormatException ignored) {
          // not a number: nothing to extract
        }
      } else if ((k.equals("status") || k.equals("status_code")) && f.getValue().length() == 3
          && Character.isDigit(f.getValue().charAt(0))) {
        statusClasses.merge(f.getValue().charAt(0) + "xx", 1, Integer::sum);
      }
    }
  }

  /** Log-derived series: lines per level, numeric duration fields, responses per status class. */
  private int storeExtracted(
      String service,
      Map<LogLevel, Integer> perLevel,
      Map<String, List<Double>> durations,
      Map<String, Integer> statusClasses,
      long now) {
    int n = 0;
    for (Map.Entry<LogLevel, Integer> e : perLevel.entrySet()) {
      Map<String, String> labels = metrics.baseLabels(service, null);
      labels.put("level", e.getKey().name().toLowerCase(Locale.ROOT));
      Series s = metrics.resolve("log.lines", MetricType.COUNTER, labels, now);
      if (s != null) {
        s.record(now, e.getValue());
        n++;
      } else {
        refused("log.lines", MetricType.COUNTER);
      }
    }
    for (Map.Entry<String, List<Double>> e : durations.entrySet()) {
      String name = MetricNames.normalize("log." + e.getKey(), MetricType.DISTRIBUTION);
      if (name == null) {
        bad.count("metric", "invalid_name");
        continue;
      }
      Series s = metrics.resolve(name, MetricType.DISTRIBUTION, metrics.baseLabels(service, null), now);
      if (s != null) {
        for (double v : e.getValue()) {
          s.record(now, v);
          n++;
        }
      } else {
        refused(name, MetricType.DISTRIBUTION);
      }
    }
    for (Map.Entry<String, Integer> e : statusClasses.entrySet()) {
      Map<String, String> labels = metrics.baseLabels(service, "http");
      labels.put("status_class", e.getKey());
      Series s = metrics.resolve("log.http.responses", MetricType.COUNTER, labels, now);
      if (s != null) {
        s.record(now, e.getValue());
        n++;
      } else {
        refused("log.http.responses", MetricType.COUNTER);
      }
    }
    return n;
  }

  private void refused(String name, MetricType type) {
    bad.count("metric", metrics.refusal(name, type).code());
  }

  private void forward(LogRecord r) {
    if (forwarder == null || !lc.logForwarding()) {
      return;
    }
    try {
      forwarder.accept(r);
    } catch (RuntimeException e) {
      bad.count("log", "forwarder_failed");
    }
  }

  /** A record for an event or access log, built by the sink side. */
  static LogRecord record(
      long ts, String service, LogLevel level, String message, String traceId, Map<String, String> fields, LogFormat format) {
    return new LogRecord(ts, service, level, message, traceId, null, fields, format, level.isError(), false);
  }
}
