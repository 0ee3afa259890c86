package io.orchestra.observability.internal;

import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.Severity;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.correlation.CorrelationIssue;
import io.orchestra.observability.correlation.CorrelationResult;
import io.orchestra.observability.correlation.CrossServiceIssue;
import io.orchestra.observability.correlation.RequestCorrelation;
import io.orchestra.observability.correlation.ServiceCorrelation;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The seed's {@code correlateObservabilityData}: one pass over the window's traces, logs and
 * metric roll-ups, grouped by service and by trace id, then the health analysis, the
 * cross-service error origins and the insights. Stateless apart from its inputs; thread-safe.
 */
public final class Correlator {
  static final double ERROR_WEIGHT = 0.3;
  static final double LATENCY_WEIGHT = 0.2;
  static final double RESOURCE_WEIGHT = 0.1;

  private final ObservabilityConfig config;
  private final MetricStore metrics;
  private final LogStore logs;
  private final TracePipeline traces;

  /** A correlator over the three stores. */
  public Correlator(ObservabilityConfig config, MetricStore metrics, LogStore logs, TracePipeline traces) {
    this.config = config;
    this.metrics = metrics;
    this.logs = logs;
    this.traces = traces;
  }

  /** Per-service accumulation. */
  static final class ServiceData {
    int series;
    int logs;
    int errorLogs;
    int spans;
    int errorSpans;
    int slowSpans;
    double errorMetric = Double.NaN;
    double latencyMetricP95 = Double.NaN;
    final Map<String, Double> resource = new TreeMap<>();
  }

  /** Per-request accumulation. */
  static final class RequestData {
    final TreeSet<String> services = new TreeSet<>();
    int spans;
    int logs;
    int errorSpans;
    int errorLogs;
    double durationMillis;
    String origin;
  }

  /** Per-origin accumulation. */
  static final class OriginData {
    int traces;
    final Map<String, Integer> affected = new HashMap<>();
    final List<String> exemplars = new ArrayList<>();
  }

  /** Correlates {@code window} as seen at {@code now}. */
  public CorrelationResult correlate(TimeWindow window, long now, long startNanos, io.orchestra.core.time.Ticker ticker) {
    Map<String, ServiceData> services = new TreeMap<>();
    Map<String, RequestData> requests = new HashMap<>();
    Map<String, EdgeAccumulator> edges = new TreeMap<>();
    Map<String, OriginData> origins = new TreeMap<>();
    int[] errorTraces = {0};
    long slowNanos = config.tracing().slowSpanThreshold().toNanos();
    traces.forEachAnalysis(window.startEpochMillis(), window.endEpochMillis(), a -> {
      RequestData r = requests.computeIfAbsent(a.metrics().traceId(), k -> new RequestData());
      r.spans += a.metrics().spanCount();
      r.errorSpans += a.metrics().errorCount();
      r.durationMillis = a.metrics().durationNanos() / 1e6;
      for (SpanData s : a.spansById().values()) {
        ServiceData d = services.computeIfAbsent(s.serviceName(), k -> new ServiceData());
        d.spans++;
        if (s.error()) {
          d.errorSpans++;
        }
        if (s.durationNanos() >= slowNanos) {
          d.slowSpans++;
        }
        r.services.add(s.serviceName());
      }
      for (TraceAnalysis.Call c : a.calls()) {
        edges.computeIfAbsent(c.caller() + "\u0000" + c.callee(), k -> new EdgeAccumulator(c.caller(), c.callee(), metrics.mapping()))
            .add(c.error(), c.durationNanos());
      }
      if (!a.errorOrigins().isEmpty()) {
        errorTraces[0]++;
        SpanData first = a.errorOrigins().get(0);
        r.origin = first.serviceName();
        OriginData o = origins.computeIfAbsent(first.serviceName(), k -> new OriginData());
        o.traces++;
        if (o.exemplars.size() < config.alerting().maxEvidence()) {
          o.exemplars.add(a.metrics().traceId());
        }
        for (String up : a.propagation().getOrDefault(first.spanId(), List.of())) {
          o.affected.merge(up, 1, Integer::sum);
        }
      }
    });
    logs.forEach(window.startEpochMillis(), window.endEpochMillis(), (LogRecord l) -> {
      ServiceData d = services.computeIfAbsent(l.service(), k -> new ServiceData());
      d.logs++;
      if (l.error()) {
        d.errorLogs++;
      }
      if (l.traceId() != null) {
        RequestData r = requests.computeIfAbsent(l.traceId(), k -> new RequestData());
        r.logs++;
        r.services.add(l.service());
        if (l.error()) {
          r.errorLogs++;
        }
      }
    });
    collectMetrics(window, now, services);

    List<ServiceCorrelation> serviceCorrelations = new ArrayList<>();
    services.forEach((name, d) -> serviceCorrelations.add(analyze(name, d)));
    List<CrossServiceIssue> cross = crossServiceIssues(origins, errorTraces[0]);
    List<DependencyEdge> deps = new ArrayList<>();
    edges.values().forEach(e -> deps.add(e.toEdge()));
    List<RequestCorrelation> reqs = requestCorrelations(requests);
    List<String> insights = insights(serviceCorrelations, cross, deps, requests);
    long took = (ticker.read() - startNanos) / 1_000_000;
    return new CorrelationResult(window, serviceCorrelations, reqs, requests.size(), cross, deps, insights, took);
  }

  private void collectMetrics(TimeWindow window, long now, Map<String, ServiceData> services) {
    int level = metrics.levelCovering(window.startEpochMillis(), now);
    long notBefore = metrics.notBefore(now);
    for (Series s : metrics.all()) {
      Series.Aggregate agg = new Series.Aggregate(metrics.mapping());
      s.aggregate(level, window.startEpochMillis(), window.endEpochMillis(), notBefore, agg);
      if (agg.count == 0 || s.name.startsWith("log.")) {
        continue;
      }
      ServiceData d = services.computeIfAbsent(s.service, k -> new ServiceData());
      d.series++;
      String n = s.name;
      if (n.contains("error")) {
        double v = s.type == MetricType.COUNTER ? agg.sum : agg.mean();
        d.errorMetric = Double.isNaN(d.errorMetric) ? v : d.errorMetric + v;
      } else if (n.contains("latency") || n.contains("duration")) {
        double p95 = agg.sketch.isEmpty() ? agg.max : agg.sketch.quantile(0.95);
        d.latencyMetricP95 = Double.isNaN(d.latencyMetricP95) ? p95 : Math.max(d.latencyMetricP95, p95);
      } else if (n.contains("cpu") || n.contains("memory") || n.contains("disk")) {
        d.resource.merge(n, agg.mean(), Math::max);
      }
    }
  }

  /** The seed's {@code analyzeServiceCorrelation}, with severities scaling the fixed deductions. */
  ServiceCorrelation analyze(String name, ServiceData d) {
    double health = 1.0;
    List<CorrelationIssue> issues = new ArrayList<>();
    List<String> insights = new ArrayList<>();
    double spanErrorRate = d.spans == 0 ? 0 : (double) d.errorSpans / d.spans;
    double logErrorRate = d.logs == 0 ? 0 : (double) d.errorLogs / d.logs;
    double metricError = !Double.isNaN(d.errorMetric) && d.errorMetric > 0 ? Math.min(1, d.errorMetric) : 0;
    double errorSeverity = Math.min(1, 5 * Math.max(Math.max(spanErrorRate, logErrorRate), metricError));
    if (errorSeverity > 0) {
      issues.add(new CorrelationIssue("error", errorSeverity, errorSeverity >= 0.5 ? Severity.CRITICAL : Severity.WARNING,
          String.format("%d of %d spans and %d of %d log lines failed", d.errorSpans, d.spans, d.errorLogs, d.logs)));
      health -= ERROR_WEIGHT * errorSeverity;
    }
    double slowMs = config.tracing().slowSpanThreshold().toNanos() / 1e6;
    double slowFraction = d.spans == 0 ? 0 : (double) d.slowSpans / d.spans;
    double metricLatency = Double.isNaN(d.latencyMetricP95) ? 0 : Math.min(1, d.latencyMetricP95 / slowMs - 0.5);
    double latencySeverity = Math.min(1, Math.max(Math.min(1, 2 * slowFraction), Math.max(0, metricLatency)));
    if (latencySeverity > 0.5) {
      issues.add(new CorrelationIssue("latency", latencySeverity, latencySeverity >= 0.8 ? Severity.CRITICAL : Severity.WARNING,
          String.format("%d of %d spans took %.0f ms or more", d.slowSpans, d.spans, slowMs)));
      health -= LATENCY_WEIGHT * latencySeverity;
    }
    boolean resourceIssue = false;
    for (Map.Entry<String, Double> r : d.resource.entrySet()) {
      double v = r.getValue();
      double utilization = v <= 1.0 ? v : v / 100.0;
      if (utilization >= 0.9) {
        resourceIssue = true;
        issues.add(new CorrelationIssue("resource", Math.min(1, utilization), Severity.WARNING,
            String.format("%s at %.0f%%", r.getKey(), utilization * 100)));
      }
    }
    if (resourceIssue) {
      health -= RESOURCE_WEIGHT;
    }
    if (errorSeverity > 0 && d.errorSpans > 0) {
      insights.add(String.format("%s: %.1f%% of spans failed", name, spanErrorRate * 100));
    }
    return new ServiceCorrelation(name, Math.max(0, health), d.series, d.logs, d.errorLogs, d.spans, d.errorSpans, d.slowSpans, issues, insights);
  }

  private static List<CrossServiceIssue> crossServiceIssues(Map<String, OriginData> origins, int errorTraces) {
    List<CrossServiceIssue> out = new ArrayList<>();
    origins.forEach((origin, o) -> {
      if (o.affected.isEmpty()) {
        return;
      }
      List<String> affected = new ArrayList<>(o.affected.keySet());
      affected.sort(Comparator.comparing((String s) -> -o.affected.get(s)).thenComparing(s -> s));
      double confidence = errorTraces == 0 ? 0 : (double) o.traces / errorTraces;
      out.add(new CrossServiceIssue(origin, affected, o.traces, o.exemplars, confidence,
          "errors start in " + origin + " and propagate to " + String.join(", ", affected) + " (" + o.traces + " traces)"));
    });
    out.sort(Comparator.comparingInt(CrossServiceIssue::traceCount).reversed());
    return out;
  }

  private List<RequestCorrelation> requestCorrelations(Map<String, RequestData> requests) {
    List<Map.Entry<String, RequestData>> entries = new ArrayList<>(requests.entrySet());
    entries.sort(Comparator.comparingInt((Map.Entry<String, RequestData> e) -> -(e.getValue().errorSpans + e.getValue().errorLogs))
        .thenComparingDouble(e -> -e.getValue().durationMillis)
        .thenComparing(Map.Entry::getKey));
    List<RequestCorrelation> out = new ArrayList<>();
    for (int i = 0; i < entries.size() && i < config.maxRequestCorrelations(); i++) {
      RequestData r = entries.get(i).getValue();
      out.add(new RequestCorrelation(entries.get(i).getKey(), new ArrayList<>(r.services), r.spans, r.logs, r.errorSpans, r.errorLogs, r.durationMillis, r.origin));
    }
    return out;
  }

  private static List<String> insights(
      List<ServiceCorrelation> services, List<CrossServiceIssue> cross, List<DependencyEdge> deps, Map<String, RequestData> requests) {
    List<String> out = new ArrayList<>();
    for (CrossServiceIssue c : cross) {
      out.add(String.format("%s is the likely origin of errors seen in %s (%d traces, %.0f%% of error traces)",
          c.originService(), String.join(", ", c.affectedServices()), c.traceCount(), c.confidence() * 100));
    }
    services.stream().filter(s -> s.healthScore() < 1.0).min(Comparator.comparingDouble(ServiceCorrelation::healthScore))
        .ifPresent(s -> out.add(String.format("lowest health: %s at %.2f", s.serviceName(), s.healthScore())));
    deps.stream().filter(e -> e.errors() > 0).max(Comparator.comparingDouble(DependencyEdge::errorRate))
        .ifPresent(e -> out.add(String.format("most failing dependency: %s -> %s (%.1f%% of %d calls)", e.caller(), e.callee(), e.errorRate() * 100, e.calls())));
    int both = 0;
    for (RequestData r : requests.values()) {
      if (r.spans > 0 && r.logs > 0) {
        both++;
      }
    }
    if (!requests.isEmpty()) {
      out.add(String.format("%d of %d requests have both spans and log lines", both, requests.size()));
    }
    for (ServiceCorrelation s : services) {
      out.addAll(s.insights());
    }
    return out;
  }

  /** Aggregates calls of one edge. */
  static final class EdgeAccumulator {
    final String caller;
    final String callee;
    long calls;
    long errors;
    final QuantileSketch sketch;

    EdgeAccumulator(String caller, String callee, SketchMapping mapping) {
      this.caller = caller;
      this.callee = callee;
      this.sketch = new QuantileSketch(mapping);
    }

    void add(boolean error, long nanos) {
      calls++;
      if (error) {
        errors++;
      }
      sketch.record(nanos / 1e6);
    }

    DependencyEdge toEdge() {
      return new DependencyEdge(caller, callee, calls, errors, sketch.quantile(0.5), sketch.quantile(0.95), sketch.quantile(0.99));
    }
  }

  /** The dependency edges of traces in {@code window} (all edges when {@code service} is null). */
  public List<DependencyEdge> dependencies(TimeWindow window, String service) {
    Map<String, EdgeAccumulator> edges = new LinkedHashMap<>();
    traces.forEachAnalysis(window.startEpochMillis(), window.endEpochMillis(), a -> {
      for (TraceAnalysis.Call c : a.calls()) {
        if (service == null || c.caller().equals(service) || c.callee().equals(service)) {
          edges.computeIfAbsent(c.caller() + "\u0000" + c.callee(), k -> new EdgeAccumulator(c.caller(), c.callee(), metrics.mapping()))
              .add(c.error(), c.durationNanos());
        }
      }
    });
    List<DependencyEdge> out = new ArrayList<>();
    edges.values().forEach(e -> out.add(e.toEdge()));
    out.sort(Comparator.comparing(DependencyEdge::caller).thenComparing(DependencyEdge::callee));
    return out;
  }
}
