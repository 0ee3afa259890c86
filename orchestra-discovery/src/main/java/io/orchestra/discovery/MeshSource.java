package io.orchestra.discovery;

import io.orchestra.core.instance.ServiceInstance;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The port through which a service mesh control plane (or orchestra-mesh, or the application)
 * tells discovery about instances. Implement {@link #instances}; the rest has defaults.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface MeshSource extends DiscoverySource {

  /** The instances the mesh knows for {@code serviceName}; see {@link DiscoverySource#fetch}. */
  CompletionStage<List<ServiceInstance>> instances(String serviceName);

  @Override
  default Mechanism mechanism() {
    return Mechanism.MESH;
  }

  @Override
  default String name() {
    return "mesh";
  }

  /** Wraps {@link #instances} with the configured default health check and the epoch as registration time. */
  @Override
  default CompletionStage<List<Registration>> fetch(String serviceName) {
    return instances(serviceName)
        .thenApply(
            list -> {
              List<Registration> out = new java.util.ArrayList<>(list.size());
              for (ServiceInstance i : list) {
                out.add(Registration.of(i, java.time.Instant.EPOCH));
              }
              return out;
            });
  }
}
