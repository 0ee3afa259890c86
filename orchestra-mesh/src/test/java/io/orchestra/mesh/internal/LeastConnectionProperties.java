package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.mesh.policy.LoadBalancing;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Least-connection balancing picks an eligible instance (not drained, not tried, its breaker
 * permitting) with the fewest requests in flight among the eligible ones, and nothing only when
 * none is eligible, whatever the loads, weights, open breakers and tried instances.
 */
class LeastConnectionProperties {

  @Property(tries = 2000)
  void picksAnEligibleInstanceWithTheLeastLoad(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 3) Integer> loads,
      @ForAll @Size(min = 6, max = 6) List<Boolean> open,
      @ForAll @Size(min = 6, max = 6) List<Boolean> drained,
      @ForAll @Size(min = 6, max = 6) List<Boolean> triedBefore,
      @ForAll long seed) {
    VirtualTime time = new VirtualTime();
    int n = loads.size();
    InstanceState[] members = new InstanceState[n];
    List<InstanceState> tried = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ServiceInstance instance =
          ServiceInstance.builder("i" + i, "orders").address("10.0.0.1", 9000 + i).weight(drained.get(i) ? 0 : 1).build();
      InstanceState s = new InstanceState(instance);
      s.breaker = CircuitBreaker.of("i" + i, CircuitBreakerConfig.defaults(), time);
      if (open.get(i)) {
        s.breaker.transitionToOpen();
      }
      for (int k = 0; k < loads.get(i); k++) {
        s.enter();
      }
      if (triedBefore.get(i)) {
        tried.add(s);
      }
      members[i] = s;
    }
    InstanceState[] avoid = tried.toArray(new InstanceState[0]);
    InstanceState chosen =
        Balancer.select(LoadBalancing.LEAST_CONNECTION, new Group(members), avoid, avoid.length, RandomSource.seeded(seed));

    int leastEligible = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      if (!drained.get(i) && !open.get(i) && !triedBefore.get(i)) {
        leastEligible = Math.min(leastEligible, loads.get(i));
      }
    }
    if (leastEligible == Integer.MAX_VALUE) {
      assertThat(chosen).isNull();
    } else {
      assertThat(chosen).isNotNull();
      int i = java.util.Arrays.asList(members).indexOf(chosen);
      assertThat(drained.get(i) || open.get(i) || triedBefore.get(i)).isFalse();
      assertThat(loads.get(i)).isEqualTo(leastEligible);
    }
  }

  @Property(tries = 500)
  void ties_goToTheCandidateAtTheDrawsPoint(@ForAll @IntRange(min = 2, max = 6) int n, @ForAll long draw) {
    InstanceState[] members = new InstanceState[n];
    for (int i = 0; i < n; i++) {
      members[i] = new InstanceState(ServiceInstance.builder("i" + i, "orders").address("10.0.0.1", 9000 + i).build());
    }
    RandomSource fixed = () -> draw;
    InstanceState chosen = Balancer.select(LoadBalancing.LEAST_CONNECTION, new Group(members), null, 0, fixed);

    // Equal loads: the random starting point decides, the draw's top 32 bits as a fraction of n.
    int point = (int) java.math.BigInteger.valueOf(draw >>> 32).multiply(java.math.BigInteger.valueOf(n)).shiftRight(32).longValueExact();
    assertThat(chosen).isSameAs(members[point]);
  }
}
