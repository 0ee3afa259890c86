package io.orchestra.benchmarks.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.RandomSource;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.LoadBalancing;
import io.orchestra.discovery.ServiceDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared set-up: {@code n} instances over three zones with weights 1..5. */
final class Instances {
  static final String SERVICE = "orders";

  private Instances() {}

  static List<ServiceInstance> of(int n) {
    List<ServiceInstance> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          ServiceInstance.builder("orders-" + i, SERVICE)
              .address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 8080)
              .zone("zone-" + i % 3)
              .region("region-1")
              .weight(1 + i % 5)
              .build());
    }
    return out;
  }

  /** A discovery holding {@code n} registered instances, warmed: every later call is a cache hit. */
  static ServiceDiscovery warmDiscovery(int n, LoadBalancing algorithm) {
    ServiceDiscovery d =
        ServiceDiscovery.builder()
            .config(
                DiscoveryConfig.builder()
                    .algorithm(algorithm)
                    .refreshInterval(Duration.ofHours(24)) // no refresh inside a measurement
                    .build())
            .random(RandomSource.system())
            .build();
    for (ServiceInstance i : of(n)) {
      d.register(i);
    }
    d.discover(SERVICE, ClientContext.none());
    return d;
  }
}
