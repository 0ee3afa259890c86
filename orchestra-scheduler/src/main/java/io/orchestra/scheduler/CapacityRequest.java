package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * What the scheduler asks a {@link NodeProvisioner} for when replicas do not fit: which workload,
 * how many replicas, what each needs, and why no node fits.
 *
 * <p>Immutable.
 *
 * @param reason what triggered the request
 * @param workload the workload whose replicas are waiting
 * @param replicas how many replicas did not fit
 * @param perReplica what each replica requests
 * @param template the request of those replicas (constraints included), so a provisioner can
 *     choose a node shape that satisfies them
 * @param failedNodeId the failed node for {@link Reason#NODE_FAILURE}, otherwise null
 * @param unschedulable why the last replica did not fit, or null
 */
public record CapacityRequest(
    Reason reason,
    String workload,
    int replicas,
    Resources perReplica,
    DeploymentRequest template,
    String failedNodeId,
    Unschedulable unschedulable) {

  /** Why capacity is requested. */
  public enum Reason {
    /** The autoscaler wants more replicas than fit. */
    SCALE_UP,
    /** Replicas of a failed node could not be rescheduled. */
    NODE_FAILURE,
    /** Replicas of a drained node could not be moved. */
    DRAIN
  }

  /** Validates. */
  public CapacityRequest {
    Checks.notNull("reason", reason);
    Checks.notBlank("workload", workload);
    Checks.positive("replicas", replicas);
    Checks.notNull("perReplica", perReplica);
    Checks.notNull("template", template);
  }

  /** {@code perReplica} times {@code replicas}. */
  public Resources total() {
    return perReplica.times(replicas);
  }
}
