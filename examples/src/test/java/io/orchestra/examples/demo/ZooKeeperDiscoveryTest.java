package io.orchestra.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.discovery.ServiceDiscovery;
import io.orchestra.discovery.ServiceUnavailableException;
import io.orchestra.examples.LoopbackService;
import io.orchestra.examples.LoopbackService.Answer;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** The demo's {@code --zookeeper host:port} wiring against a real ZooKeeper server. */
class ZooKeeperDiscoveryTest {

  @Test
  void withAConnectString_replicasRegisterInZooKeeper_andAreHealthChecked() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        Infrastructure infra = new Infrastructure();
        LoopbackService inventory = LoopbackService.start("inventory-1", (m, p) -> new Answer(200, "{}"));
        DiscoveryWiring wiring = DiscoveryWiring.start(zk.getConnectString(), "test", infra, TelemetrySink.noop())) {
      assertThat(wiring.description()).startsWith("ZooKeeper at " + zk.getConnectString());
      ServiceDiscovery discovery = wiring.discovery();
      ServiceInstance instance =
          ServiceInstance.builder("inventory-1", "inventory").address("127.0.0.1", inventory.port()).zone("eu-west-1a").build();
      assertThat(discovery.register(instance, DiscoveryWiring.HEALTH_CHECK).success()).isTrue();

      assertThat(Waits.until(() -> known(discovery) && "HEALTHY".equals(wiring.health(instance)),
          Duration.ofSeconds(60), infra.ticker)).isTrue(); // ends as soon as it holds; generous for a loaded host
      assertThat(discovery.discover("inventory").id()).isEqualTo("inventory-1");
      assertThat(discovery.registry().name()).containsIgnoringCase("zookeeper");
    }
  }

  /** Whether discovery lists the instance yet (ZooKeeper's watch cache may lag a moment). */
  private static boolean known(ServiceDiscovery discovery) {
    try {
      return discovery.discoverAll("inventory", null).size() == 1;
    } catch (ServiceUnavailableException e) {
      return false;
    }
  }
}
