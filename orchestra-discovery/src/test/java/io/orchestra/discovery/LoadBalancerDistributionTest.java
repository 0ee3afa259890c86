package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadBalancerDistributionTest {

  private static DiscoveryConfig config(LoadBalancing lb) {
    return DiscoveryConfig.builder().algorithm(lb).build();
  }

  @ParameterizedTest(name = "weights {0}")
  @CsvSource({"1:2:7", "1:1:1", "5:3:2", "1:10", "3:3:3:1"})
  @DisplayName("weighted round robin gives each instance its weight's share within 1% over 10,000 picks")
  void weightedRoundRobinFollowsWeights(String spec) {
    String[] parts = spec.split(":");
    int[] weights = new int[parts.length];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      weights[i] = Integer.parseInt(parts[i]);
      total += weights[i];
    }
    Fixture f = new Fixture(config(LoadBalancing.WEIGHTED_ROUND_ROBIN));
    f.register("svc", weights);
    Map<String, Integer> counts = f.pick("svc", 10_000, ClientContext.none());
    for (int i = 0; i < weights.length; i++) {
      double share = counts.getOrDefault("svc-" + i, 0) / 10_000.0;
      assertThat(share).as("share of svc-%s", i).isCloseTo(weights[i] / (double) total, within(0.01));
    }
  }

  @Test
  @DisplayName("weighted round robin is smooth: weights 1:2:7 never pick the light instance twice in ten")
  void weightedRoundRobinInterleaves() {
    Fixture f = new Fixture(config(LoadBalancing.WEIGHTED_ROUND_ROBIN));
    f.register("svc", 1, 2, 7);
    int longestRunOfHeavy = 0;
    int run = 0;
    for (int i = 0; i < 1000; i++) {
      String id = f.discovery.discover("svc").id();
      run = id.equals("svc-2") ? run + 1 : 0;
      longestRunOfHeavy = Math.max(longestRunOfHeavy, run);
    }
    // A naive "repeat each instance weight times" scheme would give runs of 7.
    assertThat(longestRunOfHeavy).isLessThanOrEqualTo(4);
  }

  @Test
  @DisplayName("weighted round robin gives exact shares over each period, even to a weight far above the mean")
  void weightedRoundRobinIsExactPerPeriod() {
    Fixture f = new Fixture(config(LoadBalancing.WEIGHTED_ROUND_ROBIN));
    int[] weights = new int[20];
    java.util.Arrays.fill(weights, 1);
    weights[7] = 1000; // 50 x the mean: once capped at 10 x the mean by the stride scheduler
    f.register("svc", weights);
    Map<String, Integer> counts = f.pick("svc", 2 * 1019, ClientContext.none());
    assertThat(counts.get("svc-7")).isEqualTo(2000);
    for (int i = 0; i < 20; i++) {
      if (i != 7) {
        assertThat(counts.get("svc-" + i)).as("svc-%s", i).isEqualTo(2);
      }
    }
  }

  @Test
  void roundRobinIsExactlyEven() {
    Fixture f = new Fixture(config(LoadBalancing.ROUND_ROBIN));
    f.register("svc", 1, 5, 9); // weights are ignored by plain round robin
    Map<String, Integer> counts = f.pick("svc", 3000, ClientContext.none());
    assertThat(counts).containsOnly(
        Map.entry("svc-0", 1000), Map.entry("svc-1", 1000), Map.entry("svc-2", 1000));
  }

  @Test
  @DisplayName("least connections sends calls to the instance with the fewest outstanding calls")
  void leastConnectionsPrefersIdle() {
    Fixture f = new Fixture(config(LoadBalancing.LEAST_CONNECTIONS));
    f.register("svc", 1, 1, 1);
    // Five calls in flight everywhere, then two of the three finish theirs.
    for (int i = 0; i < 15; i++) {
      f.discovery.discover("svc");
    }
    ServiceInstance[] all = f.discovery.discoverAll("svc", ClientContext.none()).toArray(new ServiceInstance[0]);
    ServiceInstance busy = all[0];
    for (ServiceInstance i : all) {
      if (i != busy) {
        for (int k = 0; k < 5; k++) {
          f.discovery.recordResult(i, CallOutcome.SUCCESS, 1_000_000);
        }
      }
    }
    Map<String, Integer> counts = f.pick("svc", 10, ClientContext.none());
    assertThat(counts).doesNotContainKey(busy.id());
    // Without reports every pick stays outstanding: the load evens out exactly.
    Map<String, Integer> more = f.pick("svc", 3000, ClientContext.none());
    assertThat(f.discovery.status(all[0]).outstanding())
        .isEqualTo(f.discovery.status(all[1]).outstanding())
        .isEqualTo(f.discovery.status(all[2]).outstanding());
    assertThat(more.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3000);
  }

  @Test
  @DisplayName("power of two choices with peak EWMA steers away from the slow instance")
  void p2cAvoidsSlowInstance() {
    Fixture f = new Fixture(config(LoadBalancing.POWER_OF_TWO_CHOICES));
    f.register("svc", 1, 1, 1);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      ServiceInstance s = f.discovery.discover("svc");
      counts.merge(s.id(), 1, Integer::sum);
      long latency = s.id().equals("svc-0") ? 200_000_000L : 10_000_000L;
      f.time.advance(Duration.ofMillis(1));
      f.discovery.recordResult(s, CallOutcome.SUCCESS, latency);
    }
    // The slow instance loses every pairing once measured; it keeps a trickle only from the
    // first, unmeasured picks.
    assertThat(counts.getOrDefault("svc-0", 0)).isLessThan(500);
    assertThat(counts.get("svc-1")).isCloseTo(counts.get("svc-2"), within(600));
  }

  @Test
  @DisplayName("power of two choices spreads evenly over identical instances")
  void p2cEvenOnIdentical() {
    Fixture f = new Fixture(config(LoadBalancing.POWER_OF_TWO_CHOICES));
    f.register("svc", 1, 1, 1, 1);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      ServiceInstance s = f.discovery.discover("svc");
      counts.merge(s.id(), 1, Integer::sum);
      f.discovery.recordResult(s, CallOutcome.SUCCESS, 5_000_000);
    }
    for (int c : counts.values()) {
      assertThat(c / 10_000.0).isCloseTo(0.25, within(0.03));
    }
  }

  @Test
  @DisplayName("consistent hashing keeps a key on one instance and moves few keys when one leaves")
  void consistentHashIsStable() {
    Fixture f = new Fixture(config(LoadBalancing.CONSISTENT_HASH));
    f.register("svc", 1, 1, 1, 1, 1);
    Map<String, String> before = new HashMap<>();
    Map<String, Integer> load = new HashMap<>();
    for (int k = 0; k < 10_000; k++) {
      ClientContext ctx = ClientContext.builder().hashKey("user-" + k).build();
      String id = f.discovery.discover("svc", ctx).id();
      assertThat(f.discovery.discover("svc", ctx).id()).isEqualTo(id);
      before.put("user-" + k, id);
      load.merge(id, 1, Integer::sum);
    }
    for (int c : load.values()) {
      assertThat(c / 10_000.0).isCloseTo(0.2, within(0.03));
    }
    f.discovery.deregister("svc-3");
    int moved = 0;
    for (Map.Entry<String, String> e : before.entrySet()) {
      String now = f.discovery.discover("svc", ClientContext.builder().hashKey(e.getKey()).build()).id();
      if (!e.getValue().equals("svc-3") && !now.equals(e.getValue())) {
        moved++;
      }
      assertThat(now).isNotEqualTo("svc-3");
    }
    // Maglev moves a few keys besides the departed instance's; far fewer than modulo hashing's ~80%.
    assertThat(moved / 10_000.0).isLessThan(0.05);
  }

  @Test
  @DisplayName("consistent hashing honours weights")
  void consistentHashWeights() {
    Fixture f = new Fixture(config(LoadBalancing.CONSISTENT_HASH));
    f.register("svc", 1, 3);
    Map<String, Integer> load = new HashMap<>();
    for (int k = 0; k < 10_000; k++) {
      load.merge(f.discovery.discover("svc", ClientContext.builder().hashKey("k" + k).build()).id(), 1, Integer::sum);
    }
    assertThat(load.get("svc-1") / 10_000.0).isCloseTo(0.75, within(0.03));
  }

  @Test
  @DisplayName("slow start: a new instance starts at a tenth of its share and reaches full share after the window")
  void slowStartRampsUp() {
    Fixture f =
        new Fixture(
            DiscoveryConfig.builder()
                .algorithm(LoadBalancing.WEIGHTED_ROUND_ROBIN)
                .slowStartWindow(Duration.ofSeconds(60))
                .build());
    f.register("svc", 1, 1);
    f.discovery.discover("svc"); // the first answer is warm from the start
    f.discovery.register(Fixture.instance("svc", 2, 1));
    Map<String, Integer> early = f.pick("svc", 2100, ClientContext.none());
    assertThat(early.get("svc-2") / 2100.0).isCloseTo(0.1 / 2.1, within(0.01));
    f.time.advance(Duration.ofSeconds(30));
    Map<String, Integer> middle = f.pick("svc", 3000, ClientContext.none());
    assertThat(middle.get("svc-2") / 3000.0).isBetween(0.2, 0.3);
    f.time.advance(Duration.ofSeconds(31));
    Map<String, Integer> late = f.pick("svc", 3000, ClientContext.none());
    assertThat(late.get("svc-2") / 3000.0).isCloseTo(1 / 3.0, within(0.01));
  }

  @Test
  @DisplayName("geographic preference keeps a caller in its zone while the zone is healthy")
  void zonePreference() {
    Fixture f = new Fixture(config(LoadBalancing.ROUND_ROBIN));
    for (int i = 0; i < 6; i++) {
      f.discovery.register(
          ServiceInstance.builder("svc-" + i, "svc")
              .address("10.0.1." + i, 80)
              .zone(i < 3 ? "a" : "b")
              .region("r")
              .build());
    }
    Map<String, Integer> counts = f.pick("svc", 300, ClientContext.of("a", "r"));
    assertThat(counts).containsOnlyKeys("svc-0", "svc-1", "svc-2");
    Map<String, Integer> unknownZone = f.pick("svc", 600, ClientContext.of("c", "r"));
    assertThat(unknownZone).hasSize(6);
  }
}
