package io.orchestra.scheduler;

/**
 * A consistent snapshot of one node in a {@link ClusterState}: its description and what is
 * reserved on it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param info the node as the application described it
 * @param used the sum of the resources of every placement on the node
 * @param placements how many placements the node holds
 */
public record NodeStatus(NodeInfo info, Resources used, int placements) {

  /** The node id. */
  public String id() {
    return info.id();
  }

  /** Allocatable minus used, floored at zero. */
  public Resources free() {
    return info.allocatable().minusFloored(used);
  }
}
