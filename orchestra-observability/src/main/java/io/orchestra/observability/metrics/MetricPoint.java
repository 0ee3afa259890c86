package io.orchestra.observability.metrics;

import io.orchestra.core.internal.Checks;
import java.util.Map;

/**
 * One raw metric value handed to {@code collectServiceMetrics} with an explicit type and extra
 * labels. Immutable.
 *
 * @param name metric name in any common spelling ({@code http_request_duration_ms}, {@code
 *     http.request.duration}); normalized on ingestion
 * @param value the value
 * @param type how the value is interpreted, or null to infer it from the name
 * @param labels extra labels (subject to the cardinality guard)
 */
public record MetricPoint(String name, double value, MetricType type, Map<String, String> labels) {

  /** Copies the labels; the name may be anything (it is validated on ingestion, not here). */
  public MetricPoint {
    labels = Map.copyOf(Checks.notNull("labels", labels));
  }

  /** A point whose type is inferred from its name. */
  public static MetricPoint of(String name, double value) {
    return new MetricPoint(name, value, null, Map.of());
  }

  /** A typed point. */
  public static MetricPoint of(String name, double value, MetricType type, Map<String, String> labels) {
    return new MetricPoint(name, value, type, labels);
  }
}
