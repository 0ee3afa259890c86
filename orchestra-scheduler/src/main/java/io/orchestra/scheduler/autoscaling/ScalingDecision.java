package io.orchestra.scheduler.autoscaling;

import java.util.Map;

/**
 * What the autoscaler decided for one observation, and why.
 *
 * <p>Immutable.
 *
 * @param workload the workload
 * @param action what to do
 * @param currentReplicas replicas counted now (pending and running, not terminating)
 * @param desiredReplicas the final target after bounds, stabilization and rate policies
 * @param recommendation the target from the metrics alone, within min/max
 * @param perMetric replicas each metric asked for (within tolerance: the current count)
 * @param reason a short explanation: {@code "scale up for cpu"}, {@code "within tolerance"},
 *     {@code "held by scale-down stabilization"}, {@code "limited by scale-up policy"} ...
 */
public record ScalingDecision(
    String workload,
    Action action,
    int currentReplicas,
    int desiredReplicas,
    int recommendation,
    Map<String, Integer> perMetric,
    String reason) {

  /** The seed's three actions. */
  public enum Action {
    /** Add replicas. */
    SCALE_UP,
    /** Remove replicas. */
    SCALE_DOWN,
    /** Keep the count. */
    NO_CHANGE
  }

  /** Copies the map. */
  public ScalingDecision {
    perMetric = Map.copyOf(perMetric);
  }
}
