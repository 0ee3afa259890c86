package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.Rollup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Access-log records and events from the sink: each becomes a masked log record (so correlation
 * by request sees them); access logs also feed the {@code http.server.requests} series that the
 * dashboard's KPIs read. Thread-safe.
 */
public final class SinkRecords {
  private final ObservabilityConfig config;
  private final MetricStore metrics;
  private final LogPipeline logs;
  private final TrackedServices knownServices;

  /** Records into the given stores. */
  public SinkRecords(ObservabilityConfig config, MetricStore metrics, LogPipeline logs, TrackedServices knownServices) {
    this.config = config;
    this.metrics = metrics;
    this.logs = logs;
    this.knownServices = knownServices;
  }

  /** One access-log record. */
  public void accessLog(AccessLogRecord r, long now) {
    String service = r.destinationService() == null || r.destinationService().isBlank() ? "unknown" : r.destinationService();
    boolean failed = r.statusCode() == 0 || r.statusCode() >= 500;
    Map<String, String> labels = metrics.baseLabels(service, "http");
    labels.put("outcome", failed ? "error" : "success");
    Series s = metrics.resolve(DashboardBuilder.REQUESTS, MetricType.DISTRIBUTION, labels, now);
    long ts = r.timestampEpochMillis() > 0 ? r.timestampEpochMillis() : now;
    if (s != null) {
      // A record sampled at rate p stands for 1/p requests (rounded: 0.3 counts as 3), so the
      // dashboard's request and error counts are estimates of all traffic, not of the sample.
      long represented = Math.max(1, Math.round(1 / r.sampleRate()));
      s.record(ts, Math.max(0, r.durationNanos()) / 1e6, represented);
    } else {
      metrics.bad().count("metric", metrics.refusal(DashboardBuilder.REQUESTS, MetricType.DISTRIBUTION).code());
    }
    Map<String, String> fields = new HashMap<>();
    put(fields, "source_service", r.sourceService());
    put(fields, "source_address", r.sourceAddress());
    put(fields, "instance", r.instanceId());
    put(fields, "user_agent", r.userAgent());
    fields.put("status", Integer.toString(r.statusCode()));
    fields.put("duration_ms", Double.toString(r.durationNanos() / 1e6));
    fields.put("environment", config.environment());
    fields.put("cluster", config.cluster());
    String message = Masker.mask(r.method() + " " + r.path() + " " + r.statusCode());
    logs.ingest(LogPipeline.record(ts, service, failed ? LogLevel.ERROR : LogLevel.INFO, message,
        Ids.traceId(r.traceId()), fields, LogFormat.ACCESS));
    knownServices.track(service);
  }

  /** One domain event. */
  public void event(TelemetryEvent e, long now) {
    Map<String, String> fields = new HashMap<>();
    e.attributes().forEach((k, v) -> put(fields, k, v));
    String service = fields.getOrDefault("service", e.source() == null ? "unknown" : e.source());
    fields.put("source", String.valueOf(e.source()));
    fields.put("environment", config.environment());
    fields.put("cluster", config.cluster());
    long ts = e.timestampEpochMillis() > 0 ? e.timestampEpochMillis() : now;
    logs.ingest(LogPipeline.record(ts, service, LogLevel.INFO, Masker.mask(String.valueOf(e.type())),
        Ids.traceId(fields.get("trace_id")), fields, LogFormat.EVENT));
  }

  private static void put(Map<String, String> fields, String key, String value) {
    if (key != null && value != null) {
      fields.put(key, Masker.isSensitiveKey(key) ? "[secret]" : Masker.mask(value));
    }
  }

  /** Roll-ups of the series of {@code service} named {@code metric} whose labels include {@code labels}. */
  public static List<Rollup> rollups(MetricStore metrics, String service, String metric, Map<String, String> labels, int level, TimeWindow window, long now) {
    String gauge = MetricNames.normalize(metric, MetricType.GAUGE);
    String counter = MetricNames.normalize(metric, MetricType.COUNTER);
    List<Rollup> out = new ArrayList<>();
    if (level < 0 || level >= metrics.levels()) {
      return out;
    }
    for (Series s : metrics.ofService(service)) {
      if ((s.name.equals(gauge) || s.name.equals(counter)) && s.labelMap.entrySet().containsAll(labels.entrySet())) {
        out.addAll(s.rollups(level, window.startEpochMillis(), window.endEpochMillis(), metrics.notBefore(now)));
      }
    }
    out.sort(java.util.Comparator.comparingLong(Rollup::startEpochMillis));
    return out;
  }
}
