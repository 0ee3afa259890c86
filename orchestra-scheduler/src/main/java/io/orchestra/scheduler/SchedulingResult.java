package io.orchestra.scheduler;

import java.time.Duration;

/**
 * The outcome of {@link WorkloadScheduler#schedule}: the seed's result (success, container id,
 * node id, scheduling time, resource allocation) or a failure that explains itself.
 *
 * <p>Immutable.
 *
 * @param success whether the container was placed and created
 * @param containerId the new container's id, or null on failure
 * @param nodeId the chosen node, or null when none was chosen
 * @param schedulingTime from the call to the final outcome (including container creation)
 * @param allocation the reserved resources, or null on failure
 * @param score the chosen node's normalized score 0..100 (NaN for round robin or on failure)
 * @param attempts decision attempts (more than one when concurrent schedulers conflicted)
 * @param failure why it failed, or null on success
 * @param unschedulable the explanation when no node fits, or null; it describes the one state of
 *     the cluster the failed decision saw (see {@link Unschedulable})
 * @param error the failure in words, or null on success
 */
public record SchedulingResult(
    boolean success,
    String containerId,
    String nodeId,
    Duration schedulingTime,
    Resources allocation,
    double score,
    int attempts,
    Failure failure,
    Unschedulable unschedulable,
    String error) {

  /** Why scheduling failed. */
  public enum Failure {
    /** No node passes every filter; see {@link SchedulingResult#unschedulable()}. */
    UNSCHEDULABLE,
    /** A node was reserved but the container runtime failed; the reservation was released. */
    RUNTIME_FAILED,
    /** The runtime did not answer within the configured timeout; the reservation was released. */
    RUNTIME_TIMEOUT
  }

  /** A success. */
  public static SchedulingResult placed(
      String containerId, String nodeId, Duration time, Resources allocation, double score, int attempts) {
    return new SchedulingResult(true, containerId, nodeId, time, allocation, score, attempts, null, null, null);
  }

  /** No node fits. */
  public static SchedulingResult unschedulable(Unschedulable why, Duration time, int attempts) {
    return new SchedulingResult(
        false, null, null, time, null, Double.NaN, attempts, Failure.UNSCHEDULABLE, why, why.message());
  }

  /** The runtime failed after the node was chosen. */
  public static SchedulingResult runtimeFailed(
      Failure failure, String containerId, String nodeId, Duration time, int attempts, String error) {
    return new SchedulingResult(
        false, containerId, nodeId, time, null, Double.NaN, attempts, failure, null, error);
  }
}
