package io.orchestra.examples.demo;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.Request;
import io.orchestra.discovery.ClientContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every replica registered itself when it started; this phase asks discovery for each service
 * (which starts its cache entry and health checks) and waits until the active
 * HTTP health checks have passed for all of them, then shows one lookup the way application
 * code does it: {@code discover()} from a caller in one zone, the call, and the outcome reported
 * back for passive health.
 */
final class DiscoveryPhase {
  private final DiscoveryWiring discovery;
  private final LoopbackRuntime runtime;
  private final Infrastructure infra;
  private final Console console;

  DiscoveryPhase(DiscoveryWiring discovery, LoopbackRuntime runtime, Infrastructure infra, Console console) {
    this.discovery = discovery;
    this.runtime = runtime;
    this.infra = infra;
    this.console = console;
  }

  /** Returns how many registered instances are HEALTHY. */
  int run() {
    List<ServiceInstance> instances =
        runtime.replicas().stream().map(r -> runtime.instance(r.instanceId())).filter(Objects::nonNull).toList();
    long start = infra.ticker.read();
    // Discovery keeps (and health-checks) a service once something asks for it: ask for each.
    for (String service : instances.stream().map(ServiceInstance::serviceName).distinct().toList()) {
      Calls.awaitDone(discovery.discovery().refresh(service));
    }
    Waits.until(() -> healthy(instances) == instances.size(), Duration.ofSeconds(10), infra.ticker);
    int healthy = healthy(instances);
    console.phase("discovery", "%d instances registered; %d/%d HEALTHY by active GET /health checks (%.1f s)",
        instances.size(), healthy, instances.size(), (infra.ticker.read() - start) / 1e9);

    ClientContext caller = ClientContext.of("eu-west-1b", DemoCluster.REGION);
    ServiceInstance target = discovery.discovery().discover("inventory", caller);
    long sent = infra.ticker.read();
    Calls.Answer r = Calls.await(infra.transport.send(target.endpoint(), Request.get("/stock/sku-1")));
    long took = infra.ticker.read() - sent;
    discovery.discovery().recordResult(target, r.outcome(), took); // passive health
    console.detail("discover(\"inventory\") from a caller in eu-west-1b -> %s in %s; GET %s/stock/sku-1 -> %s in %.1f ms",
        target.id(), target.zone(), target.endpoint(), r.status(), took / 1e6);
    return healthy;
  }

  private int healthy(List<ServiceInstance> instances) {
    return (int) instances.stream().filter(i -> "HEALTHY".equals(discovery.health(i))).count();
  }
}
