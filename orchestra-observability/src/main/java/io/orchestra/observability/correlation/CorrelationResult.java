package io.orchestra.observability.correlation;

import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.List;

/**
 * The seed's correlation result. Immutable.
 *
 * @param timeWindow the window
 * @param serviceCorrelations per service
 * @param requestCorrelations per trace id (errors first, then slowest; capped)
 * @param requestCount traces and trace ids seen in the window (before the cap)
 * @param crossServiceIssues errors propagating across services
 * @param dependencies the dependency graph of the window
 * @param insights short texts
 * @param correlationTimeMillis how long the correlation took
 */
public record CorrelationResult(
    TimeWindow timeWindow,
    List<ServiceCorrelation> serviceCorrelations,
    List<RequestCorrelation> requestCorrelations,
    int requestCount,
    List<CrossServiceIssue> crossServiceIssues,
    List<DependencyEdge> dependencies,
    List<String> insights,
    long correlationTimeMillis) {

  /** Copies the lists. */
  public CorrelationResult {
    serviceCorrelations = List.copyOf(serviceCorrelations);
    requestCorrelations = List.copyOf(requestCorrelations);
    crossServiceIssues = List.copyOf(crossServiceIssues);
    dependencies = List.copyOf(dependencies);
    insights = List.copyOf(insights);
  }

  /** The correlation of {@code service}, or null. */
  public ServiceCorrelation service(String service) {
    for (ServiceCorrelation s : serviceCorrelations) {
      if (s.serviceName().equals(service)) {
        return s;
      }
    }
    return null;
  }
}
