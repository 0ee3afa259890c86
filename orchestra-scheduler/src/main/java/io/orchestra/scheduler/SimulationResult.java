package io.orchestra.scheduler;

import java.util.List;

/**
 * What a what-if simulation would do: the placements it makes (new replicas and moves), the
 * replicas that would not fit (with explanations), and the resulting cluster. The real cluster
 * state is untouched.
 *
 * <p>Immutable.
 *
 * @param placements every placement the simulation made, in order
 * @param unschedulable every replica that would not fit, in order
 * @param nodes the simulated cluster's nodes afterwards
 */
public record SimulationResult(
    List<SimulatedPlacement> placements, List<Unschedulable> unschedulable, List<NodeStatus> nodes) {

  /** Copies the lists. */
  public SimulationResult {
    placements = List.copyOf(placements);
    unschedulable = List.copyOf(unschedulable);
    nodes = List.copyOf(nodes);
  }

  /** Whether every replica fitted. */
  public boolean allPlaced() {
    return unschedulable.isEmpty();
  }

  /** How many nodes hold at least one placement afterwards (packing quality). */
  public int nodesInUse() {
    int n = 0;
    for (NodeStatus s : nodes) {
      if (s.placements() > 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * One simulated placement.
   *
   * @param workload the workload
   * @param containerId the simulated container id (never created)
   * @param nodeId where it would go
   * @param movedFrom the node it would leave (drain or failure), or null for a new replica
   */
  public record SimulatedPlacement(String workload, String containerId, String nodeId, String movedFrom) {}
}
