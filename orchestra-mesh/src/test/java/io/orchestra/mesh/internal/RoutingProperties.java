package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.TrafficConfig;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RetryBudget;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the split, the hash and the retry budget, over generated inputs. */
class RoutingProperties {

  /** Weights of 2 to 4 subsets that add up to 100 (some may be 0). */
  @Provide
  Arbitrary<List<Integer>> weights() {
    return Arbitraries.integers().between(0, 100).list().ofMinSize(1).ofMaxSize(3)
        .map(cuts -> {
          List<Integer> sorted = new ArrayList<>(cuts);
          sorted.sort(Integer::compare);
          List<Integer> w = new ArrayList<>();
          int prev = 0;
          for (int c : sorted) {
            w.add(c - prev);
            prev = c;
          }
          w.add(100 - prev);
          return w;
        });
  }

  @Property(tries = 300)
  void split_isDeterministic_andNeverPicksAZeroWeightOrEmptySubset(
      @ForAll("weights") List<Integer> weights, @ForAll String key, @ForAll boolean lastSubsetEmpty) {
    ServicePolicy.Builder b = ServicePolicy.builder().routeKeyHeader("k");
    List<WeightedDestination> route = new ArrayList<>();
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      b.subset("s" + i, Map.of("set", "s" + i));
      route.add(WeightedDestination.of("s" + i, weights.get(i)));
      boolean empty = lastSubsetEmpty && i == weights.size() - 1 && i > 0;
      if (!empty) {
        instances.add(ServiceInstance.builder("i" + i, "svc").address("10.0.0." + (i + 1), 80).label("set", "s" + i).build());
      }
    }
    CompiledService svc =
        new CompiledService(
            b.defaultRoute(route).build(),
            TrafficConfig.defaults(),
            new CompiledRetry(MeshRetryPolicy.defaults()),
            SecurityConfig.defaults().regexStepsPerChar());
    InstanceState[] states = instances.stream().map(InstanceState::new).toArray(InstanceState[]::new);
    InstanceView view = new InstanceView(instances, svc, states);
    Request request = Request.builder("GET", "/").header("k", key).build();
    long hash = StableHash.hash(key);

    CompiledService.Choice first = svc.split(view, request, null, hash);
    CompiledService.Choice again = svc.split(view, request, null, hash);
    assertThat(again).isSameAs(first);
    if (first.subset >= 0) {
      assertThat(view.group(first.subset).isEmpty()).isFalse();
      assertThat(first.weight).isPositive();
    } else {
      // Only when every weighted subset with instances has weight 0.
      assertThat(first).isSameAs(CompiledService.FALLBACK);
    }
  }

  @Property
  void bucket_isInRange_andStableAcrossCalls(@ForAll String key, @ForAll long salt, @ForAll @IntRange(min = 1, max = 100_000) int buckets) {
    int b = StableHash.bucket(StableHash.hash(key), salt, buckets);
    assertThat(b).isBetween(0, buckets - 1).isEqualTo(StableHash.bucket(StableHash.hash(key), salt, buckets));
  }

  @Property
  @Label("scaling a split's buckets and threshold by the same factor keeps every key on its side")
  void bucket_scaledWeights_keepEveryKeyOnItsSide(
      @ForAll long hash,
      @ForAll long salt,
      @ForAll @IntRange(min = 1, max = 1000) int buckets,
      @ForAll @IntRange(min = 0, max = 1000) int threshold,
      @ForAll @IntRange(min = 2, max = 1000) int factor) {
    boolean below = StableHash.bucket(hash, salt, buckets) < threshold;
    assertThat(StableHash.bucket(hash, salt, buckets * factor) < threshold * factor).isEqualTo(below);
  }

  @Property
  void bucket_isTheSaltedHashsTopBitsAsAFractionOfTheRange(
      @ForAll long hash, @ForAll long salt, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int buckets) {
    java.math.BigInteger point = java.math.BigInteger.valueOf(StableHash.mix(hash ^ salt) >>> 32);
    int expected = point.multiply(java.math.BigInteger.valueOf(buckets)).shiftRight(32).intValueExact();
    assertThat(StableHash.bucket(hash, salt, buckets)).isEqualTo(expected).isBetween(0, buckets - 1);
  }

  @Property(tries = 200)
  void retryBudget_neverGrantsMoreThanItsRatio(
      @ForAll @DoubleRange(min = 0, max = 1) double ratio, @ForAll("schedule") List<Boolean> requestsAndRetries) {
    RetryBudgetState budget = new RetryBudgetState(new RetryBudget(ratio, 0), new VirtualTime());
    long requests = 0;
    long granted = 0;
    for (boolean isRequest : requestsAndRetries) {
      if (isRequest) {
        budget.onRequest();
        requests++;
      } else if (budget.tryRetry()) {
        granted++;
      }
    }
    assertThat(granted * 1000).isLessThanOrEqualTo(requests * Math.round(ratio * 1000));
  }

  @Provide
  Arbitrary<List<Boolean>> schedule() {
    return Arbitraries.of(true, false).list().ofMaxSize(2000);
  }
}
