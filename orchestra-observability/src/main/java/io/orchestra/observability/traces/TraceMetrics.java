package io.orchestra.observability.traces;

import java.util.List;

/**
 * The seed's trace metrics. Immutable.
 *
 * @param traceId the trace
 * @param startEpochMillis the earliest span start
 * @param durationNanos latest end minus earliest start
 * @param spanCount spans
 * @param errorCount failed spans
 * @param services the services that took part, sorted
 * @param rootService the main root's service (the longest true root, else the longest orphan)
 * @param rootOperation the main root's operation
 * @param criticalPath the critical path from the main root
 */
public record TraceMetrics(
    String traceId,
    long startEpochMillis,
    long durationNanos,
    int spanCount,
    int errorCount,
    List<String> services,
    String rootService,
    String rootOperation,
    List<CriticalPathSegment> criticalPath) {

  /** Copies the lists. */
  public TraceMetrics {
    services = List.copyOf(services);
    criticalPath = List.copyOf(criticalPath);
  }
}
