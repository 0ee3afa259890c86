package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.DeploymentRequest;
import java.util.concurrent.CompletableFuture;

/**
 * What failure handling and drains need from the scheduler: place a container, stop one, ask for
 * capacity. Implemented by {@link ContainerLifecycle}.
 */
public interface Launcher {
  /** Decides, reserves and creates one container of {@code request}. */
  Launch launch(DeploymentRequest request);

  /** Stops a container gracefully; true when it was stopped and removed. */
  CompletableFuture<Boolean> terminate(String containerId);

  /** Passes a capacity request to the node provisioner (if the cluster autoscaler is on). */
  void requestCapacity(CapacityRequest request);
}
