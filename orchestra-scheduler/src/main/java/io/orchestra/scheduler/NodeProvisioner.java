package io.orchestra.scheduler;

/**
 * The cluster-autoscaler port: the scheduler calls it when replicas do not fit the cluster (scale
 * up, node failure, drain), if {@code scaling.clusterAutoscaler} is on. The application adds
 * nodes to the {@link ClusterState} when they are ready; the scheduler does not wait for them.
 *
 * <p>Implementations must be thread-safe and return quickly; exceptions are logged and ignored.
 */
@FunctionalInterface
public interface NodeProvisioner {

  /** Asks for capacity for the replicas described. */
  void requestCapacity(CapacityRequest request);

  /** A provisioner that ignores every request (the default). */
  static NodeProvisioner none() {
    return request -> {};
  }
}
