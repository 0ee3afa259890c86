package io.orchestra.observability.dashboard;

import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.List;

/**
 * The seed's service health dashboard, as a Jackson-serializable document. Immutable.
 *
 * @param serviceName the service
 * @param timeRange the range
 * @param known whether the engine has any data for the service (unknown services get an empty
 *     dashboard, counted as {@code service.unknown}); true whenever this document shows any of
 *     the service's data, also when that data arrived while the dashboard was being built
 * @param healthScore the service's health score in [0, 1]
 * @param kpis key performance indicators
 * @param trends metric trends per aggregation level
 * @param topIssues recurring problems, most frequent first
 * @param dependencies edges where the service calls or is called
 * @param generatedAtEpochMillis when it was built
 */
public record ServiceHealthDashboard(
    String serviceName,
    TimeWindow timeRange,
    boolean known,
    double healthScore,
    Kpis kpis,
    List<Trend> trends,
    List<TopIssue> topIssues,
    List<DependencyEdge> dependencies,
    long generatedAtEpochMillis) {

  /** Copies the lists. */
  public ServiceHealthDashboard {
    trends = List.copyOf(trends);
    topIssues = List.copyOf(topIssues);
    dependencies = List.copyOf(dependencies);
  }
}
