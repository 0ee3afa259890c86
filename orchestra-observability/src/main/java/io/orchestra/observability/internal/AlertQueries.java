package io.orchestra.observability.internal;

import io.orchestra.observability.AlertingConfig;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertSource;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What alert rules read from the stores: a rule's value for a service over its window, and the
 * evidence (exemplar traces, their log lines, failing dependencies) attached to an alert when it
 * fires. Reads only; thread-safe as the stores are.
 */
final class AlertQueries {
  private final AlertingConfig config;
  private final MetricStore metrics;
  private final LogStore logs;
  private final TracePipeline traces;
  private final Correlator correlator;

  /** Reads {@code metrics}, {@code logs}, {@code traces} and the correlator's dependency edges. */
  AlertQueries(AlertingConfig config, MetricStore metrics, LogStore logs, TracePipeline traces, Correlator correlator) {
    this.config = config;
    this.metrics = metrics;
    this.logs = logs;
    this.traces = traces;
    this.correlator = correlator;
  }

  /** The rule's value for {@code service} over its window ending now; NaN when there is no data. */
  double value(AlertRule rule, String service, long now) {
    long from = now - rule.window().toMillis();
    long to = now + 1;
    if (rule.source() == AlertSource.LOG) {
      long[] count = {0};
      logs.forEach(from, to, r -> {
        if (matches(rule, service, r)) {
          count[0]++;
        }
      });
      return count[0];
    }
    String gaugeName = MetricNames.normalize(rule.metric(), MetricType.GAUGE);
    String counterName = MetricNames.normalize(rule.metric(), MetricType.COUNTER);
    int level = metrics.levelCovering(from, now);
    Series.Aggregate agg = new Series.Aggregate(metrics.mapping());
    boolean counter = false;
    for (Series s : metrics.ofService(service)) {
      if (s.name.equals(gaugeName) || s.name.equals(counterName)) {
        s.aggregate(level, from, to, metrics.notBefore(now), agg);
        counter |= s.type == MetricType.COUNTER;
      }
    }
    if (agg.count == 0) {
      return rule.aggregation() == Aggregation.SUM || rule.aggregation() == Aggregation.COUNT || rule.aggregation() == Aggregation.RATE ? 0 : Double.NaN;
    }
    switch (rule.aggregation()) {
      case AVG:
        return counter ? agg.sum / Math.max(1, agg.count) : agg.mean();
      case SUM:
        return agg.sum;
      case MIN:
        return agg.min;
      case MAX:
        return agg.max;
      case LAST:
        return agg.last;
      case COUNT:
        return agg.count;
      case RATE:
        return agg.sum / (rule.window().toMillis() / 1000.0);
      case P50:
        return agg.sketch.quantile(0.5);
      case P90:
        return agg.sketch.quantile(0.9);
      case P95:
        return agg.sketch.quantile(0.95);
      default:
        return agg.sketch.quantile(0.99);
    }
  }

  private static boolean matches(AlertRule rule, String service, LogRecord r) {
    return r.service().equals(service) && r.level().compareTo(rule.logLevel()) >= 0
        && (rule.logContains().isEmpty() || r.message().contains(rule.logContains()));
  }

  /** {@code a} with the evidence of its rule over the window ending now. */
  Alert withEvidence(Alert a, AlertRule rule, long now) {
    int max = config.maxEvidence();
    if (max == 0) {
      return a;
    }
    long from = now - rule.window().toMillis();
    TimeWindow window = new TimeWindow(from, now + 1);
    Set<String> traceIds = new LinkedHashSet<>();
    List<LogRecord> lines = new ArrayList<>();
    if (rule.source() == AlertSource.LOG) {
      logs.forEach(from, now + 1, r -> {
        if (matches(rule, a.serviceName(), r)) {
          if (lines.size() < max) {
            lines.add(r);
          }
          if (r.traceId() != null && traceIds.size() < max) {
            traceIds.add(r.traceId());
          }
        }
      });
    }
    List<Object[]> candidates = new ArrayList<>(); // {traceId, failed, durationNanos}
    traces.forEachAnalysis(from, now + 1, t -> {
      boolean failed = false;
      long longest = -1;
      for (SpanData s : t.spansById().values()) {
        if (s.serviceName().equals(a.serviceName())) {
          failed |= s.error();
          longest = Math.max(longest, s.durationNanos());
        }
      }
      if (longest >= 0) {
        candidates.add(new Object[] {t.metrics().traceId(), failed, longest});
      }
    });
    candidates.sort(Comparator.comparing((Object[] c) -> !(Boolean) c[1]).thenComparing(c -> -(Long) c[2]));
    for (Object[] c : candidates) {
      if (traceIds.size() >= max) {
        break;
      }
      traceIds.add((String) c[0]);
    }
    for (String id : traceIds) {
      for (LogRecord r : logs.byTrace(id)) {
        if (lines.size() < 2 * max && !lines.contains(r)) {
          lines.add(r);
        }
      }
    }
    List<DependencyEdge> edges = correlator.dependencies(window, a.serviceName());
    List<DependencyEdge> failing = new ArrayList<>();
    for (DependencyEdge e : edges) {
      if (e.errors() > 0) {
        failing.add(e);
      }
    }
    List<DependencyEdge> chosen = failing.isEmpty() ? edges : failing;
    chosen.sort(Comparator.comparingDouble(DependencyEdge::errorRate).reversed());
    AlertEvidence ev = new AlertEvidence(new ArrayList<>(traceIds), lines, chosen.subList(0, Math.min(max, chosen.size())));
    return new Alert(a.ruleId(), a.serviceName(), a.severity(), a.message(), a.condition(), a.state(), a.value(),
        a.activeSinceEpochMillis(), a.firedAtEpochMillis(), a.resolvedAtEpochMillis(), a.labels(), ev);
  }
}
