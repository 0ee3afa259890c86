package io.orchestra.scheduler.autoscaling;

import io.orchestra.scheduler.SchedulingResult;
import java.time.Duration;
import java.util.List;

/**
 * The seed's scaling result: what was done and how many replicas exist afterwards.
 *
 * <p>Immutable.
 *
 * @param success false only when the workload is unknown or scaling is disabled
 * @param decision the decision acted on, or null when there was none
 * @param previousReplicas replicas before
 * @param currentReplicas replicas after (created successfully or still running)
 * @param targetReplicas the decision's target
 * @param scalingTime from the call until every creation and termination finished
 * @param created results of the replicas placed (scale up)
 * @param terminated replicas stopped (scale down)
 * @param failed replicas that could not be created or stopped
 * @param error why nothing was done, or null
 */
public record ScalingResult(
    boolean success,
    ScalingDecision decision,
    int previousReplicas,
    int currentReplicas,
    int targetReplicas,
    Duration scalingTime,
    List<SchedulingResult> created,
    int terminated,
    int failed,
    String error) {

  /** Copies the list. */
  public ScalingResult {
    created = List.copyOf(created);
  }

  /** The action taken. */
  public ScalingDecision.Action action() {
    return decision == null ? ScalingDecision.Action.NO_CHANGE : decision.action();
  }
}
