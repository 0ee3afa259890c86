/**
 * Metric types: raw {@link io.orchestra.observability.metrics.MetricPoint}s in, normalized {@link
 * io.orchestra.observability.metrics.Metric}s, {@link io.orchestra.observability.metrics.Rollup}
 * windows and {@link io.orchestra.observability.metrics.Anomaly} records out.
 */
package io.orchestra.observability.metrics;
