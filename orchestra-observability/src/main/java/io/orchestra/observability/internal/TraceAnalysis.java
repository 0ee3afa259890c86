package io.orchestra.observability.internal;

import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceHierarchy;
import io.orchestra.observability.traces.TraceMetrics;
import java.util.List;
import java.util.Map;

/**
 * The analysis of one trace's spans: hierarchy, metrics, cross-service call observations, and
 * the error origins (failed spans without failed descendants) with the failed ancestors they
 * propagated to. Immutable.
 *
 * @param hierarchy the hierarchy
 * @param metrics the metrics
 * @param calls cross-service calls
 * @param errorOrigins failed spans none of whose descendants failed
 * @param propagation for each error origin's span id, the services of its failed ancestors,
 *     nearest first
 * @param spansById every span by id
 */
public record TraceAnalysis(
    TraceHierarchy hierarchy,
    TraceMetrics metrics,
    List<Call> calls,
    List<SpanData> errorOrigins,
    Map<String, List<String>> propagation,
    Map<String, SpanData> spansById) {

  /**
   * One cross-service call.
   *
   * @param caller calling service
   * @param callee called service
   * @param error whether the call failed
   * @param durationNanos call duration
   */
  public record Call(String caller, String callee, boolean error, long durationNanos) {}
}
