package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CircuitBreakerFilterTest {

  /** Breakers that open after two failures; ejection effectively off so only breakers act. */
  private static DiscoveryConfig config(LoadBalancing lb) {
    return DiscoveryConfig.builder()
        .algorithm(lb)
        .maxEjectionPercent(0)
        .circuitBreaker(
            CircuitBreakerConfig.builder()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .build())
        .build();
  }

  private static void trip(Fixture f, ServiceInstance i) {
    f.discovery.recordResult(i, CallOutcome.SERVER_ERROR, 0);
    f.discovery.recordResult(i, CallOutcome.SERVER_ERROR, 0);
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  @DisplayName("every balancer skips instances whose breaker is open")
  void openBreakersAreSkipped(LoadBalancing lb) {
    Fixture f = new Fixture(config(lb));
    ServiceInstance[] s = f.register("svc", 1, 1, 1);
    f.discovery.discover("svc");
    trip(f, s[1]);
    assertThat(f.discovery.status(s[1]).circuitState()).isEqualTo(CircuitState.OPEN);
    for (int k = 0; k < 200; k++) {
      ClientContext ctx = ClientContext.builder().hashKey("k" + k).build();
      assertThat(f.discovery.discover("svc", ctx).id()).isNotEqualTo("svc-1");
    }
    f.time.advance(Duration.ofSeconds(10));
    boolean seen = false;
    for (int k = 0; k < 200 && !seen; k++) {
      seen = f.discovery.discover("svc", ClientContext.builder().hashKey("k" + k).build()).id().equals("svc-1");
    }
    assertThat(seen).as("half-open breaker admits probes again").isTrue();
  }

  @Test
  @DisplayName("when every breaker is open the best-scored instance is used and the bypass is emitted")
  void allOpenUsesBestScored() {
    Fixture f = new Fixture(config(LoadBalancing.ROUND_ROBIN));
    ServiceInstance[] s = f.register("svc", 1, 1, 1);
    f.discovery.discover("svc");
    // svc-2 answers fast before failing: its performance score is the best.
    for (int i = 0; i < 3; i++) {
      f.discovery.recordResult(s[0], CallOutcome.SUCCESS, 900_000_000L);
      f.discovery.recordResult(s[1], CallOutcome.SUCCESS, 900_000_000L);
      f.discovery.recordResult(s[2], CallOutcome.SUCCESS, 1_000_000L);
    }
    for (ServiceInstance i : s) {
      trip(f, i);
    }
    assertThat(f.discovery.discover("svc").id()).isEqualTo("svc-2");
    assertThat(f.telemetry.events("discovery.circuit_breaker_bypass")).isNotEmpty();
    assertThat(f.telemetry.count("orchestra.discovery.circuit_breaker.bypass", "service", "svc")).isEqualTo(1);
  }

  @Test
  @DisplayName("retries: the avoid set steers the next pick elsewhere; when all are avoided one is still returned")
  void avoidSet() {
    Fixture f = new Fixture(config(LoadBalancing.WEIGHTED_ROUND_ROBIN));
    f.register("svc", 1, 1);
    ClientContext ctx = ClientContext.none().avoiding("svc-0");
    for (int i = 0; i < 10; i++) {
      assertThat(f.discovery.discover("svc", ctx).id()).isEqualTo("svc-1");
    }
    assertThat(f.discovery.discover("svc", ctx.avoiding("svc-1"))).isNotNull();
  }

  @Test
  @DisplayName("ranked candidates: best score first, avoided left out, open breakers left out")
  void rankedCandidates() {
    Fixture f = new Fixture(config(LoadBalancing.ROUND_ROBIN));
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    f.discovery.recordResult(s[3], CallOutcome.SUCCESS, 1_000_000);
    f.discovery.recordResult(s[2], CallOutcome.SUCCESS, 150_000_000);
    trip(f, s[1]);
    var ranked = f.discovery.discoverAll("svc", ClientContext.none().avoiding("svc-0"));
    assertThat(ranked).extracting(ServiceInstance::id).containsExactly("svc-3", "svc-2");
  }
}
