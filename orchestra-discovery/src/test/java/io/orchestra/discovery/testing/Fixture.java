package io.orchestra.discovery.testing;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.ServiceDiscovery;
import io.orchestra.discovery.registry.InMemoryRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A discovery on virtual time with a seeded random source and an in-memory registry. */
public final class Fixture {
  public final VirtualTime time = new VirtualTime();
  public final InMemoryRegistry registry = new InMemoryRegistry();
  public final RecordingTelemetry telemetry = new RecordingTelemetry();
  public final ServiceDiscovery discovery;

  public Fixture(DiscoveryConfig config) {
    this(config, b -> b);
  }

  public Fixture(DiscoveryConfig config, UnaryOperator<ServiceDiscovery.Builder> customize) {
    ServiceDiscovery.Builder b =
        ServiceDiscovery.builder()
            .config(config)
            .ticker(time)
            .clock(time)
            .scheduler(time)
            .random(RandomSource.seeded(42))
            .telemetry(telemetry)
            .registry(registry);
    this.discovery = customize.apply(b).build();
  }

  /** Registers {@code n} instances of {@code service} named {@code service-0..n-1}. */
  public ServiceInstance[] register(String service, int... weights) {
    ServiceInstance[] out = new ServiceInstance[weights.length];
    for (int i = 0; i < weights.length; i++) {
      out[i] = instance(service, i, weights[i]);
      discovery.register(out[i]);
    }
    return out;
  }

  public static ServiceInstance instance(String service, int i, int weight) {
    return ServiceInstance.builder(service + "-" + i, service)
        .address("10.0.0." + (i + 1), 8080)
        .weight(weight)
        .build();
  }

  /** Picks {@code n} times and counts picks per instance id. */
  public Map<String, Integer> pick(String service, int n, ClientContext ctx) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(discovery.discover(service, ctx).id(), 1, Integer::sum);
    }
    return counts;
  }
}
