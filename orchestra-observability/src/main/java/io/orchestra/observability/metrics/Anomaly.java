package io.orchestra.observability.metrics;

import io.orchestra.observability.Severity;
import java.util.Map;

/**
 * A value that left its series' robust baseline: the seed's anomaly record ({@code metricName,
 * currentValue, expectedRange, severity, detectedAt}) plus the series identity and the score.
 * Immutable.
 *
 * @param service the service
 * @param metricName the normalized metric name
 * @param labels the series labels
 * @param kind spike, drop or level shift
 * @param currentValue the judged value
 * @param expectedLow lower end of the expected range
 * @param expectedHigh upper end of the expected range
 * @param score robust z-score: distance from the median in scaled median absolute deviations
 * @param severityScore {@code 1 - threshold / |score|}, in [0, 1): how far past the threshold
 * @param severity WARNING, or CRITICAL from twice the threshold on
 * @param detectedAtEpochMillis when it was judged
 */
public record Anomaly(
    String service,
    String metricName,
    Map<String, String> labels,
    AnomalyKind kind,
    double currentValue,
    double expectedLow,
    double expectedHigh,
    double score,
    double severityScore,
    Severity severity,
    long detectedAtEpochMillis) {

  /** Copies the labels. */
  public Anomaly {
    labels = Map.copyOf(labels);
  }
}
