package io.orchestra.observability.correlation;

import java.util.List;

/**
 * An error that propagates along the dependency graph, named after its likely origin: the service
 * whose failing spans had no failing descendants, with the upstream services whose spans failed
 * above them. Immutable.
 *
 * @param originService the likely origin
 * @param affectedServices upstream services that failed because of it, most frequent first
 * @param traceCount traces showing the propagation or the origin failure
 * @param exemplarTraceIds some of those traces
 * @param confidence share of all error traces in the window that name this origin, in [0, 1]
 * @param description human text
 */
public record CrossServiceIssue(
    String originService,
    List<String> affectedServices,
    int traceCount,
    List<String> exemplarTraceIds,
    double confidence,
    String description) {

  /** Copies the lists. */
  public CrossServiceIssue {
    affectedServices = List.copyOf(affectedServices);
    exemplarTraceIds = List.copyOf(exemplarTraceIds);
  }
}
