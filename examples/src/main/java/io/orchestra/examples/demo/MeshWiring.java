package io.orchestra.examples.demo;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.mesh.MeshConfig;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.TrafficManager;
import io.orchestra.mesh.policy.MeshPolicies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The demo's {@link TrafficManager}: settings and policies from the YAML files in {@code
 * src/main/resources/demo/}, instances from discovery, the real HTTP transport. The demo process
 * itself is the checkout service; a reporting job in the analytics namespace is the caller the
 * policies refuse.
 */
final class MeshWiring {
  /** The demo's own identity: the checkout service, which places orders. */
  static final PeerContext CHECKOUT =
      PeerContext.local("checkout", "spiffe://orchestra.demo/ns/shop/sa/checkout", "shop");

  /** A batch job in the same process that may read stock but not touch payments. */
  static final PeerContext REPORTING =
      PeerContext.local("reporting", "spiffe://orchestra.demo/ns/analytics/sa/reporting", "analytics");

  private MeshWiring() {}

  static TrafficManager build(Infrastructure infra, InstanceSource instances, TelemetrySink telemetry) {
    return TrafficManager.builder()
        .config(MeshConfig.fromYaml(resource("demo/mesh-config.yaml")))
        .policies(MeshPolicies.fromYaml(resource("demo/mesh-policies.yaml")))
        .instanceSource(instances)
        .transport(infra.transport)
        .telemetry(telemetry)
        .ticker(infra.ticker)
        .clock(infra.clock)
        .scheduler(infra.timers)
        .executor(infra.work) // retries and timeouts continue off the timer threads
        .random(infra.random)
        .localPeer(CHECKOUT)
        .build();
  }

  /** A text resource on the class path. */
  static String resource(String name) {
    try (InputStream in = MeshWiring.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
