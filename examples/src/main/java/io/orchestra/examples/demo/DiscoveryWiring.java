package io.orchestra.examples.demo;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.HealthCheck;
import io.orchestra.discovery.InstanceStatus;
import io.orchestra.discovery.Mechanism;
import io.orchestra.discovery.RegistrySource;
import io.orchestra.discovery.ServiceDiscovery;
import io.orchestra.discovery.registry.InMemoryRegistry;
import io.orchestra.discovery.zookeeper.ZooKeeperRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Discovery as the demo runs it: the embedded in-memory registry by default, or ZooKeeper
 * (Curator's service-discovery recipe) when a connect string is given; active HTTP health checks
 * through the real transport, every 250 ms. Owns the Curator client it creates.
 */
final class DiscoveryWiring implements AutoCloseable {
  /** The health check every replica registers with: fast, so failures show within a second. */
  static final HealthCheck HEALTH_CHECK =
      HealthCheck.builder().path("/health").interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(1)).build();

  private final ServiceDiscovery discovery;
  private final String description;
  private final CuratorFramework curator;
  private final ZooKeeperRegistry zooKeeper;

  private DiscoveryWiring(ServiceDiscovery discovery, String description, CuratorFramework curator, ZooKeeperRegistry zooKeeper) {
    this.discovery = discovery;
    this.description = description;
    this.curator = curator;
    this.zooKeeper = zooKeeper;
  }

  /**
   * Builds discovery over the embedded registry, or over ZooKeeper at {@code zookeeper}.
   *
   * @throws IllegalStateException when ZooKeeper cannot be reached within 10 s
   */
  static DiscoveryWiring start(String zookeeper, String runId, Infrastructure infra, TelemetrySink telemetry) {
    CuratorFramework curator = null;
    ZooKeeperRegistry zk = null;
    RegistrySource registry;
    String description;
    if (zookeeper == null) {
      registry = new InMemoryRegistry();
      description = "embedded in-memory registry";
    } else {
      curator = CuratorFrameworkFactory.newClient(zookeeper, 10_000, 5_000, new ExponentialBackoffRetry(200, 3));
      curator.start();
      try {
        if (!curator.blockUntilConnected(10, TimeUnit.SECONDS)) {
          curator.close();
          throw new IllegalStateException("cannot reach ZooKeeper at " + zookeeper + " within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        curator.close();
        throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
      }
      // A base path per run: ephemeral nodes of an earlier, killed run may outlive it for a session timeout.
      zk = ZooKeeperRegistry.builder(curator).basePath("/orchestra-demo/" + runId).executor(infra.work).build();
      registry = zk;
      description = "ZooKeeper at " + zookeeper + " (/orchestra-demo/" + runId + ")";
    }
    DiscoveryConfig config =
        DiscoveryConfig.builder()
            .mechanisms(EnumSet.of(Mechanism.REGISTRY))
            .refreshInterval(Duration.ofSeconds(5))
            .healthCheckInterval(HEALTH_CHECK.interval())
            .healthCheckTimeout(HEALTH_CHECK.timeout())
            .failureThreshold(3)
            .healthyThreshold(1)
            // The mesh's per-instance breakers take a failing replica out in this demo, so that
            // the breaker's open/close story is visible; discovery's outlier ejection would do
            // the same one layer down (and does, with its defaults, in an application).
            .maxEjectionPercent(0)
            .build();
    ServiceDiscovery discovery =
        ServiceDiscovery.builder()
            .config(config)
            .registry(registry)
            .transport(infra.transport)
            .telemetry(telemetry)
            .ticker(infra.ticker)
            .clock(infra.clock)
            .scheduler(infra.timers)
            .random(infra.random)
            .build();
    return new DiscoveryWiring(discovery, description, curator, zk);
  }

  ServiceDiscovery discovery() {
    return discovery;
  }

  /** Which registry is in use, in words. */
  String description() {
    return description;
  }

  /** What active health checks say about {@code instance}: HEALTHY, UNHEALTHY or UNKNOWN. */
  String health(ServiceInstance instance) {
    InstanceStatus status = discovery.status(instance);
    return status == null ? "UNKNOWN" : status.health();
  }

  @Override
  public void close() {
    discovery.close();
    if (zooKeeper != null) {
      zooKeeper.close();
    }
    if (curator != null) {
      curator.close();
    }
  }
}
