package io.orchestra.observability.correlation;

import java.util.List;

/**
 * The seed's per-service analysis. Immutable.
 *
 * @param serviceName the service
 * @param healthScore 1.0 minus the weighted issue severities (error 0.3, latency 0.2, resource
 *     0.1), never below 0
 * @param metricSeries metric series of the service with data in the window
 * @param logCount stored log lines in the window
 * @param errorLogCount error lines among them
 * @param spanCount spans in the window
 * @param errorSpanCount failed spans
 * @param slowSpanCount spans at least the slow-span threshold
 * @param issues the issues
 * @param insights short texts
 */
public record ServiceCorrelation(
    String serviceName,
    double healthScore,
    int metricSeries,
    int logCount,
    int errorLogCount,
    int spanCount,
    int errorSpanCount,
    int slowSpanCount,
    List<CorrelationIssue> issues,
    List<String> insights) {

  /** Copies the lists. */
  public ServiceCorrelation {
    issues = List.copyOf(issues);
    insights = List.copyOf(insights);
  }
}
