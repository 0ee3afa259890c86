package io.orchestra.mesh;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Shared test setup: instances, permissive policies, managers on virtual time. */
final class Fixtures {
  static final String LOCAL_ID = "spiffe://example.org/ns/shop/sa/checkout";
  static final PeerContext LOCAL = PeerContext.local("checkout", LOCAL_ID, null);

  private Fixtures() {}

  /** Instance {@code id} of {@code service} on 127.0.0.1:{@code port} with labels. */
  static ServiceInstance instance(String service, String id, int port, String... labels) {
    ServiceInstance.Builder b = ServiceInstance.builder(id, service).address("127.0.0.1", port);
    for (int i = 0; i < labels.length; i += 2) {
      b.label(labels[i], labels[i + 1]);
    }
    return b.build();
  }

  /** {@code count} instances of {@code service} on ports base, base+1, ... */
  static List<ServiceInstance> instances(String service, int basePort, int count) {
    List<ServiceInstance> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(instance(service, service + "-" + i, basePort + i));
    }
    return list;
  }

  /** Policies allowing everything. */
  static MeshPolicies allowAll() {
    return MeshPolicies.builder().authorize(AuthorizationPolicy.allow("allow-all").build()).build();
  }

  /** Security checks off, breakers and retries as configured, sampling off. */
  static MeshConfig.Builder permissiveConfig() {
    return MeshConfig.builder()
        .security(SecurityConfig.builder().mtlsEnabled(false).authorizationPolicyEnabled(false).rateLimitingEnabled(false).build())
        .observability(ObservabilityConfig.builder().samplingRate(0).build());
  }

  /** A retry policy with fixed backoff and a budget too generous to matter. */
  static MeshRetryPolicy retries(int max, Duration backoff) {
    return retries(max, backoff, 1.0).toBuilder().budget(new RetryBudget(1.0, 100_000)).build();
  }

  /** A retry policy with fixed backoff and a budget of {@code budgetRatio}, no floor. */
  static MeshRetryPolicy retries(int max, Duration backoff, double budgetRatio) {
    return MeshRetryPolicy.builder()
        .maxRetries(max)
        .backoff(Backoff.fixed(backoff))
        .budget(new RetryBudget(budgetRatio, 0))
        .build();
  }

  /** A manager on virtual time with a seeded random source. */
  static TrafficManager.Builder manager(VirtualTime time, InstanceSource source, ScriptedTransport transport) {
    return TrafficManager.builder()
        .instanceSource(source)
        .transport(transport)
        .ticker(time)
        .clock(time)
        .scheduler(time)
        .random(RandomSource.seeded(42))
        .localPeer(LOCAL);
  }

  /** The completed response of a stage (fails the test if it is not complete). */
  static Response now(CompletionStage<Response> stage) {
    try {
      return stage.toCompletableFuture().getNow(null);
    } catch (RuntimeException e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }

  /** Waits for a stage driven by real I/O. */
  static Response await(CompletionStage<Response> stage) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }

  static Map<String, String> labels(String... kv) {
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
