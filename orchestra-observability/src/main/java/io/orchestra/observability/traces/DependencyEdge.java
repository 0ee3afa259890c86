package io.orchestra.observability.traces;

/**
 * A call relation between two services, derived from parent/child spans that cross services (and
 * from client spans naming a {@code peer.service} that did not report). Immutable.
 *
 * @param caller the calling service
 * @param callee the called service
 * @param calls observed calls (sampled traces only)
 * @param errors failed calls
 * @param p50Millis median call duration
 * @param p95Millis 95th percentile call duration
 * @param p99Millis 99th percentile call duration
 */
public record DependencyEdge(String caller, String callee, long calls, long errors, double p50Millis, double p95Millis, double p99Millis) {

  /** Failed calls over calls, 0 when none. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }
}
