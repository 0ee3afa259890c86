package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.MicrometerTelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import org.junit.jupiter.api.Test;

class MicrometerTelemetryTest {

  @Test
  void meterNamesAndTagsReachMicrometer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceDiscovery d = roundRobinDiscovery(registry);
    ServiceInstance a = Fixture.instance("svc", 0, 1);
    ServiceInstance b = Fixture.instance("svc", 1, 1);
    d.register(a);
    d.register(b);
    for (int i = 0; i < 10; i++) {
      d.discover("svc");
    }
    for (int i = 0; i < 3; i++) {
      d.recordResult(a, CallOutcome.SERVER_ERROR, 1_000);
    }
    assertThat(registry.get("orchestra.discovery.picks").tags("service", "svc", "instance", "svc-0").counter().count())
        .isEqualTo(5);
    assertThat(registry.get("orchestra.discovery.cache").tags("service", "svc", "result", "miss").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("orchestra.discovery.cache").tags("service", "svc", "result", "hit").counter().count())
        .isEqualTo(9);
    assertThat(registry.get("orchestra.discovery.latency").tags("service", "svc").timer().count()).isGreaterThanOrEqualTo(1);
    assertThat(registry.get("orchestra.discovery.source.latency").tags("service", "svc", "source", "memory").timer().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(registry.get("orchestra.discovery.ejections").tags("service", "svc").counter().count()).isEqualTo(1);
    assertThat(registry.get("orchestra.discovery.instances").tags("service", "svc", "state", "healthy").gauge().value())
        .isEqualTo(1);
    d.close();
  }

  @Test
  void aDeregisteredInstancesPickCounterLeavesTheRegistry_andAReturningOneCountsFromZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceDiscovery d = roundRobinDiscovery(registry);
    ServiceInstance a = Fixture.instance("svc", 0, 1);
    ServiceInstance b = Fixture.instance("svc", 1, 1);
    d.register(a);
    d.register(b);
    for (int i = 0; i < 4; i++) {
      d.discover("svc");
    }
    d.deregister(a.id());
    assertThat(registry.find("orchestra.discovery.picks").tag("instance", "svc-0").counter()).isNull();
    assertThat(registry.get("orchestra.discovery.picks").tags("instance", "svc-1").counter().count()).isEqualTo(2);

    d.register(a);
    for (int i = 0; i < 2; i++) {
      d.discover("svc");
    }
    assertThat(registry.get("orchestra.discovery.picks").tags("instance", "svc-0").counter().count()).isEqualTo(1);
    d.close();
  }

  /** Round robin over two instances registered by the test, on a virtual clock, into {@code registry}. */
  private static ServiceDiscovery roundRobinDiscovery(SimpleMeterRegistry registry) {
    VirtualTime time = new VirtualTime();
    return ServiceDiscovery.builder()
        .config(DiscoveryConfig.builder().algorithm(LoadBalancing.ROUND_ROBIN).build())
        .ticker(time)
        .clock(time)
        .scheduler(time)
        .telemetry(new MicrometerTelemetrySink(registry))
        .build();
  }
}
