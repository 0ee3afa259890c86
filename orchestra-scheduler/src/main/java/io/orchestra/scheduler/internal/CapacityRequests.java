package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.NodeProvisioner;
import io.orchestra.scheduler.WorkloadScheduler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code NodeProvisioner} port as the scheduler uses it: requests pass only when {@code
 * scaling.clusterAutoscaler} is on, each one is recorded as a {@code scheduler.capacity_request}
 * event, and a provisioner that throws is logged, never propagated (a shortage report must not
 * fail the scheduling, failure handling or drain that found it).
 *
 * <p>Thread-safe as far as the provisioner is: it holds no state of its own, and the provisioner
 * is called on the thread that found the shortage.
 */
public final class CapacityRequests {
  /** The scheduler's logger: one name to configure for everything the scheduler logs. */
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadScheduler.class);

  private final boolean enabled;
  private final NodeProvisioner provisioner;
  private final SchedulerMetrics metrics;

  /** Passes requests to {@code provisioner} when {@code enabled} ({@code scaling.clusterAutoscaler}). */
  public CapacityRequests(boolean enabled, NodeProvisioner provisioner, SchedulerMetrics metrics) {
    this.enabled = enabled;
    this.provisioner = provisioner;
    this.metrics = metrics;
  }

  /** Records {@code request} and passes it on, if enabled; provisioner exceptions are logged. */
  public void request(CapacityRequest request) {
    if (!enabled) {
      return;
    }
    metrics.event(
        "scheduler.capacity_request",
        Map.of(
            "reason", request.reason().name(),
            "workload", request.workload(),
            "replicas", Integer.toString(request.replicas()),
            "total", request.total().toString()));
    try {
      provisioner.requestCapacity(request);
    } catch (RuntimeException e) {
      LOG.warn("node provisioner failed for {}: {}", request.workload(), e.toString());
    }
  }
}
