package io.orchestra.discovery;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import java.util.List;

/** {@link ServiceDiscovery} seen through core's {@link InstanceSource} port. Thread-safe. */
final class DiscoveryInstanceSource implements InstanceSource {
  private final ServiceDiscovery discovery;

  DiscoveryInstanceSource(ServiceDiscovery discovery) {
    this.discovery = discovery;
  }

  @Override
  public List<ServiceInstance> instances(String serviceName) {
    return discovery.eligible(serviceName);
  }

  @Override
  public void report(ServiceInstance instance, CallOutcome outcome, long latencyNanos) {
    discovery.recordResult(instance, outcome, latencyNanos);
  }
}
