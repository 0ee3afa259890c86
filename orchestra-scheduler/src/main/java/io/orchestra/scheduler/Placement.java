package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.time.Instant;
import java.util.Map;

/**
 * One container placed on a node: what was requested, where, since when and in which state.
 * Its resources stay reserved on the node until the placement is removed from the {@link
 * ClusterState}.
 *
 * <p>Immutable and thread-safe; a state change yields a new object in the cluster state.
 *
 * @param containerId unique id (assigned by the scheduler, or by the application for containers
 *     it registers)
 * @param nodeId the node
 * @param request what was requested (workload name, labels, resources, constraints)
 * @param status lifecycle state
 * @param healthy the application's latest health report for the container
 * @param createdAt when the placement was made (wall clock of the cluster state's clock)
 * @param sequence monotonically increasing per cluster state, orders placements by age
 */
public record Placement(
    String containerId,
    String nodeId,
    DeploymentRequest request,
    Status status,
    boolean healthy,
    Instant createdAt,
    long sequence) {

  /** Lifecycle of a placement. */
  public enum Status {
    /** Resources are reserved and the runtime is creating the container. */
    PENDING,
    /** The runtime reported the container created. */
    RUNNING,
    /** Graceful termination is in progress; resources stay reserved until it ends. */
    TERMINATING
  }

  /** Validates. */
  public Placement {
    Checks.notBlank("placement.containerId", containerId);
    Checks.notBlank("placement.nodeId", nodeId);
    Checks.notNull("placement.request", request);
    Checks.notNull("placement.status", status);
    Checks.notNull("placement.createdAt", createdAt);
  }

  /** The workload (deployment) name. */
  public String workload() {
    return request.workload();
  }

  /** The reserved resources. */
  public Resources resources() {
    return request.resources();
  }

  /** The container's labels. */
  public Map<String, String> labels() {
    return request.labels();
  }

  /** A copy with another status. */
  public Placement withStatus(Status value) {
    return new Placement(containerId, nodeId, request, value, healthy, createdAt, sequence);
  }

  /** A copy with another health flag. */
  public Placement withHealthy(boolean value) {
    return new Placement(containerId, nodeId, request, status, value, createdAt, sequence);
  }
}
