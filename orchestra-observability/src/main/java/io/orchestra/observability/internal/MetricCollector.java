package io.orchestra.observability.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.orchestra.observability.MetricsConfig;
import io.orchestra.observability.metrics.Anomaly;
import io.orchestra.observability.metrics.Metric;
import io.orchestra.observability.metrics.MetricPoint;
import io.orchestra.observability.metrics.MetricRejection;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.MetricsResult;
import io.orchestra.observability.metrics.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code collectServiceMetrics}: normalize (name, labels, component), validate, store
 * at every aggregation level, judge anomalies. Thread-safe (the store and series synchronize).
 */
public final class MetricCollector {
  private final MetricStore store;
  private final MetricsConfig config;
  private final BadInputCounters bad;

  /** A collector over {@code store}. */
  public MetricCollector(MetricStore store, MetricsConfig config, BadInputCounters bad) {
    this.store = store;
    this.config = config;
    this.bad = bad;
  }

  /** Collects {@code points} of {@code service} at {@code now}. */
  public MetricsResult collect(String service, List<MetricPoint> points, long now) {
    List<Metric> accepted = new ArrayList<>(points.size());
    List<MetricRejection> rejected = new ArrayList<>();
    List<Anomaly> anomalies = new ArrayList<>();
    for (MetricPoint p : points) {
      MetricType type = p.type() != null ? p.type() : MetricNames.inferType(p.name() == null ? "" : p.name());
      RejectReason reason = validate(p, type);
      String name = null;
      if (reason == null) {
        name = MetricNames.normalize(p.name(), type);
        if (name == null) {
          reason = RejectReason.INVALID_NAME;
        } else if (!config.customMetrics() && !MetricNames.isWellKnown(name)) {
          reason = RejectReason.CUSTOM_METRICS_DISABLED;
        }
      }
      Series s = null;
      if (reason == null) {
        Map<String, String> labels = store.baseLabels(service, MetricNames.component(p.name()));
        p.labels().forEach(labels::putIfAbsent);
        s = store.resolve(name, type, labels, now);
        if (s == null) {
          reason = store.refusal(name, type);
        }
      }
      if (reason != null) {
        rejected.add(new MetricRejection(p.name(), reason));
        bad.count("metric", reason.code());
        continue;
      }
      double stored = storedValue(s, type, p.value());
      if (!Double.isNaN(stored)) {
        s.record(now, stored);
        Anomaly a = store.judge(s, stored, now);
        if (a != null) {
          anomalies.add(a);
        }
      }
      publish(s, type, p.value(), stored);
      accepted.add(new Metric(name, Double.isNaN(stored) ? 0 : stored, p.value(), type, now, service, s.labelMap));
    }
    return new MetricsResult(service, accepted, rejected, anomalies, now);
  }

  private static RejectReason validate(MetricPoint p, MetricType type) {
    double v = p.value();
    if (Double.isNaN(v)) {
      return RejectReason.NAN;
    }
    if (Double.isInfinite(v)) {
      return RejectReason.INFINITE;
    }
    if (v < 0 && type == MetricType.COUNTER) {
      return RejectReason.NEGATIVE_COUNTER;
    }
    if (v < 0 && type == MetricType.DISTRIBUTION) {
      return RejectReason.NEGATIVE_DISTRIBUTION;
    }
    return null;
  }

  /**
   * The value kept in roll-ups: counters store the increase since the previous cumulative value
   * (the first value is a baseline, NaN = nothing stored; a drop is a reset, so the new value is
   * the increase); gauges and distributions store the value.
   */
  private static double storedValue(Series s, MetricType type, double value) {
    if (type != MetricType.COUNTER) {
      return value;
    }
    synchronized (s) {
      double previous = s.lastCumulative;
      s.lastCumulative = value;
      if (Double.isNaN(previous)) {
        return Double.NaN;
      }
      return value >= previous ? value - previous : value;
    }
  }

  private void publish(Series s, MetricType type, double raw, double stored) {
    switch (type) {
      case COUNTER:
        if (!Double.isNaN(stored)) {
          synchronized (s) {
            s.collectedTotal += stored;
          }
        }
        break;
      case GAUGE:
        s.collectedLast = raw;
        break;
      default:
        break;
    }
    store.publishCollected(s);
    if (type == MetricType.DISTRIBUTION && s.meter instanceof DistributionSummary d) {
      d.record(raw);
    }
  }
}
