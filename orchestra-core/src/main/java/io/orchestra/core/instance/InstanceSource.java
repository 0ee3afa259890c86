package io.orchestra.core.instance;

import io.orchestra.core.transport.CallOutcome;
import java.util.List;

/**
 * Where an engine that sends traffic (orchestra-mesh) gets the current instances of a service,
 * and where it reports how calls went. orchestra-discovery implements it; an application may
 * implement it over its own registry.
 *
 * <p>Implementations must be thread-safe and should answer from memory: the caller is on the
 * request path.
 */
public interface InstanceSource {

  /**
   * The instances of {@code serviceName} that may receive traffic now; an empty list when none.
   * The returned list must not be modified by the caller.
   */
  List<ServiceInstance> instances(String serviceName);

  /**
   * Reports the outcome of one call to {@code instance} (passive health). The default ignores it.
   *
   * @param latencyNanos time from send to outcome
   */
  default void report(ServiceInstance instance, CallOutcome outcome, long latencyNanos) {}

  /** A fixed source, for tests and static configurations; lookups allocate nothing. */
  static InstanceSource of(List<ServiceInstance> instances) {
    java.util.Map<String, List<ServiceInstance>> byService = new java.util.HashMap<>();
    for (ServiceInstance i : instances) {
      byService.computeIfAbsent(i.serviceName(), k -> new java.util.ArrayList<>()).add(i);
    }
    java.util.Map<String, List<ServiceInstance>> frozen = new java.util.HashMap<>();
    byService.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return serviceName -> frozen.getOrDefault(serviceName, List.of());
  }
}
