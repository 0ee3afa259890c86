package io.orchestra.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.Registration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScorerTest {
  private final Scorer scorer = new Scorer(DiscoveryConfig.defaults());

  private static InstanceState state(String zone, String region) {
    ServiceInstance i =
        ServiceInstance.builder("i", "svc").address("h", 1).zone(zone).region(region).build();
    return new InstanceState(Registration.of(i, Instant.EPOCH), null, null, amount -> {}, 0);
  }

  @Test
  void unknownInstanceIsNeutral() {
    InstanceState s = state(null, null);
    scorer.update(s);
    // health .5 x .4 + performance .5 x .3 + proximity .5 x .2 + load 1 x .1
    assertThat(scorer.score(s, ClientContext.none())).isCloseTo(0.55, within(1e-9));
  }

  @Test
  @org.junit.jupiter.api.DisplayName("zero average latency does not divide by zero (the seed's consistency score did)")
  void zeroLatencyIsPerfectlyConsistent() {
    InstanceState s = state(null, null);
    for (int i = 0; i < 5; i++) {
      s.onResult(CallOutcome.SUCCESS, 0, i, 10_000_000_000L);
    }
    assertThat(scorer.performanceScore(s)).isEqualTo(1.0);
    scorer.update(s);
    assertThat(s.baseScore).isFinite();
  }

  @ParameterizedTest(name = "mean {0} ms -> latency part {1}")
  @CsvSource({"50, 1.0", "100, 1.0", "150, 0.5", "190, 0.1", "500, 0.1"})
  void latencyScoreFollowsTheSeedsCurve(long millis, double expected) {
    InstanceState s = state(null, null);
    s.onResult(CallOutcome.SUCCESS, millis * 1_000_000, 0, 10_000_000_000L);
    // One sample: no variance, consistency 1 -> performance = 0.7 x latency + 0.3.
    assertThat(scorer.performanceScore(s)).isCloseTo(0.7 * expected + 0.3, within(1e-9));
  }

  @ParameterizedTest(name = "{0} failures in a row -> health {1}")
  @CsvSource({"0, 0.9", "1, 0.7", "2, 0.5", "3, 0.3", "5, 0.0"})
  void consecutiveFailuresLowerHealth(int failures, double expected) {
    InstanceState s = state(null, null);
    s.onResult(CallOutcome.SUCCESS, 1, 0, 1);
    s.errorRate = 0;
    for (int i = 0; i < failures; i++) {
      s.consecutiveFailures++;
    }
    assertThat(Scorer.healthScore(s)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void elevenSuccessesEarnTheBonus() {
    InstanceState s = state(null, null);
    for (int i = 0; i < 11; i++) {
      s.onResult(CallOutcome.SUCCESS, 1_000_000, i, 1);
    }
    assertThat(Scorer.healthScore(s)).isEqualTo(1.0);
  }

  @ParameterizedTest(name = "caller {0}/{1}, instance {2}/{3} -> {4}")
  @CsvSource({
    "a, r, a, r, 1.0",
    "a, r, b, r, 0.5",
    "a, r, c, s, 0.0",
    ", , a, r, 0.5",
    "a, r, , , 0.5"
  })
  void proximity(String cz, String cr, String iz, String ir, double expected) {
    assertThat(Scorer.proximityScore(state(iz, ir).instance, ClientContext.of(cz, cr))).isEqualTo(expected);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("custom weights are divided by their sum (the seed clamped a sum above 1)")
  void scoresStayInUnitIntervalWithCustomWeights() {
    Scorer heavy =
        new Scorer(
            DiscoveryConfig.builder().healthWeight(1).performanceWeight(1).proximityWeight(1).loadWeight(1).build());
    InstanceState s = state("a", "r");
    heavy.update(s);
    double score = heavy.score(s, ClientContext.of("a", "r"));
    assertThat(score).isBetween(0.0, 1.0);
    // (health .5 + performance .5 + proximity 1 + load 1) / 4; unnormalized it would clamp to 1.
    assertThat(score).isCloseTo(0.75, within(1e-9));
  }
}
