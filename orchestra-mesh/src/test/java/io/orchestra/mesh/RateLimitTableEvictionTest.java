package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RateLimitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A rate-limit policy keeps one bucket table per destination, at most 1,024; past that, new
 * destinations share one overflow table. Tables of destinations that went idle leave with them,
 * so the bound fills only with destinations in use.
 */
class RateLimitTableEvictionTest {
  private static final Duration IDLE = Duration.ofMinutes(1);
  private static final int BOUND = 1024;

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final InstanceSource source =
      service -> List.of(Fixtures.instance(service, service + "-1", ports.computeIfAbsent(service, s -> 20_000 + ports.size())));

  /** One permit per second per destination, a burst of one: a second request at once is refused. */
  private TrafficManager manager(Duration idle) {
    RateLimitPolicy perDestination =
        RateLimitPolicy.builder("per-destination")
            .key(RateLimitPolicy.Key.DESTINATION)
            .limit(TokenBucket.Config.builder().permitsPerPeriod(1).period(Duration.ofSeconds(1)).burst(1).build())
            .build();
    return Fixtures.manager(time, source, transport)
        .config(MeshConfig.builder()
            .security(SecurityConfig.builder().mtlsEnabled(false).authorizationPolicyEnabled(false).build())
            .observability(ObservabilityConfig.builder().samplingRate(0).build())
            .traffic(TrafficConfig.builder()
                .retryPolicy(MeshRetryPolicy.builder().maxRetries(0).perTryTimeout(Duration.ofHours(1)).build())
                .timeout(Duration.ofHours(1))
                .destinationIdleTimeout(idle)
                .build())
            .build())
        .policies(MeshPolicies.builder().authorize(AuthorizationPolicy.allow("all").build()).rateLimit(perDestination).build())
        .build();
  }

  private int route(TrafficManager m, String service) {
    return Fixtures.now(m.route(Request.get("/x"), service)).status();
  }

  /** Fills the bound with destinations that then go idle for two sweeps. */
  private void fillAndIdle(TrafficManager m) {
    for (int i = 0; i < BOUND; i++) {
      assertThat(route(m, "s" + i)).isEqualTo(200);
    }
    for (int sweep = 0; sweep < 2; sweep++) {
      time.advance(IDLE.plusSeconds(1));
      route(m, "poke-" + sweep); // the request that runs the sweep
    }
    time.advance(Duration.ofSeconds(2)); // the pokes' buckets refill
  }

  @Test
  void newDestinations_getTablesOfTheirOwn_onceTheOldOnesWentIdle() {
    TrafficManager m = manager(IDLE);
    fillAndIdle(m);
    // Each has its own bucket of one: before idle tables were dropped, both shared the overflow
    // table, and the second was refused.
    assertThat(route(m, "new-a")).isEqualTo(200);
    assertThat(route(m, "new-b")).isEqualTo(200);
    assertThat(route(m, "new-a")).as("its own bucket is spent").isEqualTo(429);
  }

  @Test
  void aDestinationInUse_keepsItsBucket_acrossSweeps() {
    TrafficManager m = manager(IDLE);
    for (int round = 0; round < 4; round++) {
      assertThat(route(m, "busy")).isEqualTo(200);
      assertThat(route(m, "busy")).as("the bucket's state survives sweep %d", round).isEqualTo(429);
      time.advance(IDLE.plusSeconds(1));
      route(m, "poke-" + round);
    }
  }

  @Test
  void withEvictionOff_tablesStay_andNewDestinationsShareTheOverflowTable() {
    TrafficManager m = manager(Duration.ZERO);
    fillAndIdle(m);
    assertThat(route(m, "new-a")).isEqualTo(200);
    assertThat(route(m, "new-b")).as("the shared overflow bucket is spent").isEqualTo(429);
  }
}
