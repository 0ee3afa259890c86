package io.orchestra.scheduler;

/**
 * A read-only view of one node as the scheduler sees it while it evaluates a request: what
 * {@link FilterPlugin}s and {@link ScorePlugin}s get. The object may be reused for the next node
 * as soon as the plugin returns, so plugins must not keep it.
 *
 * <p>Valid only on the calling thread, during the call.
 */
public interface NodeView {

  /** The node's description. */
  NodeInfo info();

  /** The node id. */
  default String id() {
    return info().id();
  }

  /** The zone, or empty. */
  default String zone() {
    return info().zone();
  }

  /** The label value (or node id / zone for the built-in keys), or null. */
  default String label(String key) {
    return info().label(key);
  }

  /** Allocatable amount of {@code kind}. */
  double allocatable(ResourceKind kind);

  /** Amount of {@code kind} reserved by placements. */
  double used(ResourceKind kind);

  /** Allocatable minus used, floored at zero. */
  default double free(ResourceKind kind) {
    return Math.max(0, allocatable(kind) - used(kind));
  }

  /** How many placements the node holds. */
  int placementCount();
}
