package io.orchestra.observability.metrics;

/** How a metric's values are interpreted and rolled up. */
public enum MetricType {
  /**
   * A monotonically increasing total. Values handed to {@code collectServiceMetrics} are
   * cumulative (Prometheus style): the roll-ups store the increase since the previous value, and a
   * smaller value is taken as a counter reset. Increments through a sink handle are deltas.
   */
  COUNTER,
  /** A value sampled at a point in time (queue length, memory use); may be negative. */
  GAUGE,
  /** Individual observations (durations, sizes), non-negative; roll-ups keep quantiles. */
  DISTRIBUTION
}
