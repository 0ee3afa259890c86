package io.orchestra.scheduler;

import java.util.List;

/**
 * The seed's node-failure summary, with the detail per container.
 *
 * <p>Immutable.
 *
 * @param success true when the failure was handled (even if some replicas could not be
 *     rescheduled); false for an unknown node
 * @param failedNode the node
 * @param affectedContainers how many placements the node held
 * @param successfulReschedules replacements placed and created (for a placement a drain of the
 *     node was moving, the drain's replacement when it was created)
 * @param failedReschedules replacements that did not fit or whose creation failed
 * @param reschedules one entry per affected container
 * @param overBudget workloads that lost more replicas on this node than {@code
 *     resilience.maxUnavailable} allows (spread them wider)
 */
public record NodeFailureSummary(
    boolean success,
    String failedNode,
    int affectedContainers,
    int successfulReschedules,
    int failedReschedules,
    List<Reschedule> reschedules,
    List<String> overBudget) {

  /** Copies the lists. */
  public NodeFailureSummary {
    reschedules = List.copyOf(reschedules);
    overBudget = List.copyOf(overBudget);
  }

  /**
   * What happened to one affected container.
   *
   * @param oldContainerId the lost container
   * @param workload its workload
   * @param result the replacement's scheduling result
   */
  public record Reschedule(String oldContainerId, String workload, SchedulingResult result) {}
}
