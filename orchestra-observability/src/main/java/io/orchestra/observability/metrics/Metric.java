package io.orchestra.observability.metrics;

import java.util.Map;

/**
 * A normalized metric, the seed's record: name, value, timestamp, service and labels ({@code
 * service}, {@code environment}, {@code cluster}, {@code component} for {@code http_}/{@code
 * db_}/{@code cache_} names, plus the point's own labels after the cardinality guard). Immutable.
 *
 * @param name normalized name (lower case, dot-separated)
 * @param value the stored value (for counters: the increase since the previous value)
 * @param rawValue the value as received
 * @param type interpretation
 * @param timestampEpochMillis when it was collected
 * @param service the service
 * @param labels all labels
 */
public record Metric(
    String name,
    double value,
    double rawValue,
    MetricType type,
    long timestampEpochMillis,
    String service,
    Map<String, String> labels) {

  /** Copies the labels. */
  public Metric {
    labels = Map.copyOf(labels);
  }
}
