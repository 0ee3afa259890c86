package io.orchestra.scheduler;

/**
 * A user-supplied hard constraint: nodes it rejects are never chosen. Runs after the built-in
 * filters, for each node that passed them. Register it with {@link
 * WorkloadScheduler.Builder#filter(FilterPlugin)}.
 *
 * <p>Implementations must be thread-safe (several threads may schedule at once), fast and free
 * of side effects, and must not keep the {@link NodeView}.
 */
public interface FilterPlugin {

  /** A short, stable, low-cardinality name (used in explanations and metric tags). */
  String name();

  /** Whether {@code request} may be placed on {@code node}. */
  boolean accepts(DeploymentRequest request, NodeView node);

  /**
   * Why {@code node} was rejected, for unschedulable explanations; called only on that slow
   * path. Keep it low-cardinality (no per-node numbers), so equal reasons add up.
   */
  default String reason(DeploymentRequest request, NodeView node) {
    return "rejected by " + name();
  }
}
