package io.orchestra.observability.metrics;

import java.util.List;

/**
 * What {@code collectServiceMetrics} did with one batch. Immutable.
 *
 * @param service the service
 * @param accepted the normalized, stored metrics
 * @param rejected the values that were not stored, with reasons
 * @param anomalies anomalies judged on this batch
 * @param timestampEpochMillis the batch's timestamp
 */
public record MetricsResult(
    String service,
    List<Metric> accepted,
    List<MetricRejection> rejected,
    List<Anomaly> anomalies,
    long timestampEpochMillis) {

  /** Copies the lists. */
  public MetricsResult {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
    anomalies = List.copyOf(anomalies);
  }
}
