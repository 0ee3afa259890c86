package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.Severity;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.correlation.ServiceCorrelation;
import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.dashboard.TopIssue;
import io.orchestra.observability.dashboard.Trend;
import io.orchestra.observability.dashboard.TrendPoint;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.Rollup;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The seed's {@code generateServiceHealthDashboard}. Stateless apart from its inputs; thread-safe. */
public final class DashboardBuilder {
  /** Series fed by access-log records. */
  public static final String REQUESTS = "http.server.requests";
  private static final int MAX_TRENDS = 20;

  private final ObservabilityConfig config;
  private final MetricStore metrics;
  private final LogStore logs;
  private final TracePipeline traces;
  private final Correlator correlator;

  /** A builder over the stores. */
  public DashboardBuilder(ObservabilityConfig config, MetricStore metrics, LogStore logs, TracePipeline traces, Correlator correlator) {
    this.config = config;
    this.metrics = metrics;
    this.logs = logs;
    this.traces = traces;
    this.correlator = correlator;
  }

  /** The dashboard of {@code service} over {@code range}, given its correlation (or null). */
  public ServiceHealthDashboard build(String service, TimeWindow range, ServiceCorrelation correlation, long now) {
    // One list of the service's series for the KPIs, the trends and the known flag.
    List<Series> series = metrics.ofService(service);
    double health = correlation == null ? 1.0 : correlation.healthScore();
    Map<String, Issue> issues = new HashMap<>();
    long[] logErrors = {0};
    logs.forEach(range.startEpochMillis(), range.endEpochMillis(), r -> {
      if (r.service().equals(service) && r.error()) {
        logErrors[0]++;
        issues.computeIfAbsent("error_log\u0000" + template(r.message()), k -> new Issue("error_log", template(r.message()), Severity.WARNING))
            .add(r.traceId(), r.timestampEpochMillis());
      }
    });
    SpanStats spans = new SpanStats(metrics.mapping());
    long slow = config.tracing().slowSpanThreshold().toNanos();
    traces.forEachAnalysis(range.startEpochMillis(), range.endEpochMillis(), a -> {
      for (SpanData s : a.spansById().values()) {
        if (!s.serviceName().equals(service)) {
          continue;
        }
        SpanData parent = s.parentSpanId() == null ? null : a.spansById().get(s.parentSpanId());
        boolean entry = s.kind() == SpanKind.SERVER || parent == null || !parent.serviceName().equals(service);
        if (entry) {
          spans.add(s);
        }
        long ms = Math.floorDiv(s.endEpochNanos(), 1_000_000);
        if (s.error()) {
          String d = s.operationName() + ": " + template(s.errorMessage() == null ? "failed" : s.errorMessage());
          issues.computeIfAbsent("error_span\u0000" + d, k -> new Issue("error_span", d, Severity.CRITICAL)).add(s.traceId(), ms);
        } else if (s.durationNanos() >= slow) {
          String d = s.operationName() + " slower than " + slow / 1_000_000 + " ms";
          issues.computeIfAbsent("slow_span\u0000" + d, k -> new Issue("slow_span", d, Severity.WARNING)).add(s.traceId(), ms);
        }
      }
    });
    Kpis kpis = kpis(series, range, now, spans, logErrors[0], health);
    List<TopIssue> top = new ArrayList<>();
    issues.values().stream()
        .sorted(Comparator.comparingLong((Issue i) -> -i.count).thenComparing(i -> i.description))
        .limit(config.maxTopIssues())
        .forEach(i -> top.add(new TopIssue(i.kind, i.description, i.count, i.severity, i.traces, i.lastSeen)));
    List<Trend> trends = trends(series, range, now);
    List<DependencyEdge> dependencies = correlator.dependencies(range, service);
    // Known when the document shows anything: data recorded after the correlation (or a series
    // created after the list above) must not make a dashboard with content say it is unknown.
    boolean known = correlation != null || !series.isEmpty() || !top.isEmpty() || !trends.isEmpty()
        || !dependencies.isEmpty() || spans.count > 0;
    return new ServiceHealthDashboard(service, range, known, health, kpis, trends, top, dependencies, now);
  }

  private Kpis kpis(List<Series> series, TimeWindow range, long now, SpanStats spans, long logErrors, double health) {
    int level = metrics.levelCovering(range.startEpochMillis(), now);
    Series.Aggregate all = new Series.Aggregate(metrics.mapping());
    Series.Aggregate failed = new Series.Aggregate(metrics.mapping());
    for (Series s : series) {
      if (s.name.equals(REQUESTS)) {
        // A failed-requests series is read once into both totals, so failed never exceeds all
        // while access logs keep arriving.
        if ("error".equals(s.labelMap.get("outcome"))) {
          s.aggregate(level, range.startEpochMillis(), range.endEpochMillis(), metrics.notBefore(now), all, failed);
        } else {
          s.aggregate(level, range.startEpochMillis(), range.endEpochMillis(), metrics.notBefore(now), all);
        }
      }
    }
    double seconds = Math.max(1e-3, (range.endEpochMillis() - range.startEpochMillis()) / 1000.0);
    if (all.count > 0) {
      return new Kpis(all.count, all.count / seconds, failed.count, (double) failed.count / all.count,
          all.sketch.quantile(0.5), all.sketch.quantile(0.95), all.sketch.quantile(0.99), logErrors, "access_log", health);
    }
    if (spans.count > 0) {
      double scale = config.tracing().samplingRate() > 0 ? 1 / config.tracing().samplingRate() : 1;
      long requests = Math.round(spans.count * scale);
      long errors = Math.round(spans.errors * scale);
      return new Kpis(requests, requests / seconds, errors, (double) spans.errors / spans.count,
          spans.sketch.quantile(0.5), spans.sketch.quantile(0.95), spans.sketch.quantile(0.99), logErrors, "spans", health);
    }
    return new Kpis(0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, logErrors, "none", health);
  }

  private List<Trend> trends(List<Series> ofService, TimeWindow range, long now) {
    List<Series> series = new ArrayList<>(ofService);
    series.sort(Comparator.comparing((Series s) -> s.name).thenComparing(s -> s.labels.toString()));
    List<Trend> out = new ArrayList<>();
    for (Series s : series.subList(0, Math.min(MAX_TRENDS, series.size()))) {
      Map<String, String> labels = new TreeMap<>(s.labelMap);
      labels.remove("service");
      labels.remove("environment");
      labels.remove("cluster");
      for (int level = 0; level < s.levels(); level++) {
        List<TrendPoint> points = new ArrayList<>();
        for (Rollup r : s.rollups(level, range.startEpochMillis(), range.endEpochMillis(), metrics.notBefore(now))) {
          points.add(new TrendPoint(r.startEpochMillis(), s.type == MetricType.COUNTER ? r.sum() : r.mean()));
        }
        if (points.isEmpty()) {
          continue;
        }
        double first = points.get(0).value();
        double last = points.get(points.size() - 1).value();
        double change = first == 0 ? Double.NaN : (last - first) / Math.abs(first) * 100;
        String direction = Double.isNaN(change) ? (last > first ? "up" : last < first ? "down" : "flat")
            : change > 5 ? "up" : change < -5 ? "down" : "flat";
        out.add(new Trend(s.name, labels, s.levelMillis(level), points, direction, change));
      }
    }
    return out;
  }

  /** Folds digits, hex ids and quoted text so that repeated messages group together. */
  static String template(String message) {
    if (message == null) {
      return "";
    }
    String m = message.length() > 200 ? message.substring(0, 200) : message;
    return m.replaceAll("[0-9a-fA-F]{8,}", "<id>").replaceAll("\\d+", "<n>");
  }

  private static final class Issue {
    final String kind;
    final String description;
    final Severity severity;
    long count;
    long lastSeen;
    final List<String> traces = new ArrayList<>();

    Issue(String kind, String description, Severity severity) {
      this.kind = kind;
      this.description = description;
      this.severity = severity;
    }

    void add(String traceId, long ts) {
      count++;
      lastSeen = Math.max(lastSeen, ts);
      if (traceId != null && traces.size() < 5 && !traces.contains(traceId)) {
        traces.add(traceId);
      }
    }
  }

  private static final class SpanStats {
    long count;
    long errors;
    final QuantileSketch sketch;

    SpanStats(SketchMapping mapping) {
      this.sketch = new QuantileSketch(mapping);
    }

    void add(SpanData s) {
      count++;
      if (s.error()) {
        errors++;
      }
      sketch.record(s.durationNanos() / 1e6);
    }
  }
}
