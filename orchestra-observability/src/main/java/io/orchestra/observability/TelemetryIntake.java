package io.orchestra.observability;

import io.orchestra.observability.logs.LogsResult;
import io.orchestra.observability.metrics.MetricPoint;
import io.orchestra.observability.metrics.MetricRejection;
import io.orchestra.observability.metrics.MetricsResult;
import io.orchestra.observability.metrics.RejectReason;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's collection calls behind {@link ObservabilityEngine}: a metric batch, a log batch or
 * a whole trace is checked for a usable service name, handed to its pipeline, its services are
 * tracked (up to {@code maxTrackedServices}) and, for metrics and logs, the service's alert rules
 * are evaluated. Bad input is counted, never thrown. Thread-safe.
 */
final class TelemetryIntake {
  private final EngineParts parts;

  /** Intake into {@code parts}. */
  TelemetryIntake(EngineParts parts) {
    this.parts = parts;
  }

  /** See {@link ObservabilityEngine#collectServiceMetrics(String, Map)}. */
  MetricsResult metrics(String serviceName, Map<String, ? extends Number> metrics) {
    List<MetricPoint> points = new ArrayList<>();
    List<String> nulls = new ArrayList<>();
    if (metrics != null) {
      metrics.forEach((k, v) -> {
        if (v == null) {
          nulls.add(k);
        } else {
          points.add(MetricPoint.of(k, v.doubleValue()));
        }
      });
    }
    MetricsResult r = metrics(serviceName, points);
    if (nulls.isEmpty()) {
      return r;
    }
    List<MetricRejection> rejected = new ArrayList<>(r.rejected());
    for (String k : nulls) {
      rejected.add(new MetricRejection(k, RejectReason.NOT_A_NUMBER));
      parts.bad.count("metric", "not_a_number");
    }
    return new MetricsResult(r.service(), r.accepted(), rejected, r.anomalies(), r.timestampEpochMillis());
  }

  /** See {@link ObservabilityEngine#collectServiceMetrics(String, List)}. */
  MetricsResult metrics(String serviceName, List<MetricPoint> points) {
    long now = parts.clock.millis();
    if (!validService(serviceName)) {
      return new MetricsResult(String.valueOf(serviceName), List.of(), List.of(), List.of(), now);
    }
    MetricsResult r = parts.collector.collect(serviceName, points == null ? List.of() : points, now);
    parts.knownServices.track(serviceName);
    parts.anomalies.remember(r.anomalies());
    if (!r.accepted().isEmpty()) {
      // Evaluated whether or not the name could be tracked: its data was accepted.
      parts.alerts.evaluate(serviceName, now, parts.knownServices.view());
    }
    return r;
  }

  /** See {@link ObservabilityEngine#processServiceLogs(String, List)}. */
  LogsResult logs(String serviceName, List<String> logEntries) {
    long now = parts.clock.millis();
    if (!validService(serviceName)) {
      return new LogsResult(String.valueOf(serviceName), logEntries == null ? 0 : logEntries.size(), List.of(), 0, 0, 0, List.of(), 0);
    }
    LogsResult r = parts.logs.process(serviceName, logEntries == null ? List.of() : logEntries, now);
    parts.knownServices.track(serviceName);
    parts.alerts.evaluate(serviceName, now, parts.knownServices.view());
    return r;
  }

  /** See {@link ObservabilityEngine#collectDistributedTrace(TraceData)}. */
  TraceResult trace(TraceData trace) {
    TraceResult r = parts.traces.collect(trace);
    if (r.metrics() != null) {
      parts.knownServices.trackAll(r.metrics().services());
    }
    return r;
  }

  private boolean validService(String serviceName) {
    if (serviceName == null || serviceName.isBlank()) {
      parts.bad.count("service", "invalid_name");
      return false;
    }
    return true;
  }
}
