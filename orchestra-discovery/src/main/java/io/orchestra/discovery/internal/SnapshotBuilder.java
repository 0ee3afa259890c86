package io.orchestra.discovery.internal;

import io.orchestra.core.time.RandomSource;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.LoadBalancing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Builds a {@link Snapshot} from the instance states of one service: decides panic mode, filters
 * the eligible instances, computes effective weights (instance weight x slow-start ramp x score
 * bucket) and builds the pickers. Runs only when something changed, never per pick.
 */
final class SnapshotBuilder {
  private final DiscoveryConfig config;
  private final RandomSource random;
  private final boolean breakers;
  private final long slowStartNanos;

  SnapshotBuilder(DiscoveryConfig config, RandomSource random) {
    this.config = config;
    this.random = random;
    this.breakers = config.circuitBreakerEnabled();
    this.slowStartNanos = config.slowStartWindow().toNanos();
  }

  Snapshot build(
      Collection<InstanceState> states, LoadBalancing algorithm, long now, AtomicLong globalCounter) {
    InstanceState[] all = states.toArray(new InstanceState[0]);
    // A stable order makes round robin and tests deterministic.
    Arrays.sort(all, Comparator.comparing(s -> s.id));
    int total = 0;
    int healthy = 0;
    for (InstanceState s : all) {
      if (s.instance.weight() > 0) {
        total++;
        if (s.available()) {
          healthy++;
        }
      }
    }
    int threshold = config.panicThreshold();
    boolean panic = threshold > 0 && total > 0 && healthy * 100L < (long) threshold * total;
    List<InstanceState> eligible = new ArrayList<>(all.length);
    boolean warming = false;
    for (InstanceState s : all) {
      if (s.instance.weight() > 0 && (panic || s.available())) {
        eligible.add(s);
        // Consistent hashing ignores slow start, so it never needs the re-weighing ticks.
        warming |= algorithm != LoadBalancing.CONSISTENT_HASH && slowStartFactor(s, now) < 1;
      }
    }
    Pool global = pool(eligible, algorithm, now, globalCounter, true, warming);
    Map<String, Pool> byZone = Map.of();
    Map<String, Pool> byRegion = Map.of();
    if (config.geographicPreference() && !panic) {
      byZone = localities(all, eligible, s -> s.instance.zone(), algorithm, now, warming);
      byRegion = localities(all, eligible, s -> s.instance.region(), algorithm, now, warming);
    }
    return new Snapshot(all, global, byZone, byRegion, panic, healthy, warming);
  }

  private Map<String, Pool> localities(
      InstanceState[] all,
      List<InstanceState> eligible,
      Function<InstanceState, String> key,
      LoadBalancing algorithm,
      long now,
      boolean warming) {
    Map<String, Integer> totals = new HashMap<>();
    for (InstanceState s : all) {
      String k = key.apply(s);
      if (k != null && s.instance.weight() > 0) {
        totals.merge(k, 1, Integer::sum);
      }
    }
    if (totals.size() <= 1 && totals.values().stream().mapToInt(Integer::intValue).sum() == all.length) {
      return Map.of(); // one locality holding everything: the global pool is the same thing
    }
    Map<String, List<InstanceState>> groups = new HashMap<>();
    for (InstanceState s : eligible) {
      String k = key.apply(s);
      if (k != null) {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Pool> pools = new HashMap<>();
    int threshold = config.panicThreshold();
    groups.forEach(
        (k, members) -> {
          int t = totals.getOrDefault(k, members.size());
          // A locality takes its callers' traffic alone only while it is itself out of panic.
          boolean preferable = !members.isEmpty() && members.size() * 100L >= (long) threshold * t;
          pools.put(k, pool(members, algorithm, now, new AtomicLong(), preferable, warming));
        });
    return pools;
  }

  private Pool pool(
      List<InstanceState> list,
      LoadBalancing algorithm,
      long now,
      AtomicLong counter,
      boolean preferable,
      boolean warming) {
    InstanceState[] members = list.toArray(new InstanceState[0]);
    int n = members.length;
    double[] factors = new double[n];
    for (int i = 0; i < n; i++) {
      factors[i] = slowStartFactor(members[i], now);
    }
    Picker picker;
    switch (algorithm) {
      case ROUND_ROBIN:
        picker =
            warming
                ? new StridePicker(members, factors, counter, breakers)
                : new RoundRobinPicker(members, counter, breakers);
        break;
      case WEIGHTED_ROUND_ROBIN:
        // Whole weights (no member in slow start) get the precomputed schedule; fractional ones,
        // or a schedule too long to keep, the stride scheduler.
        Picker scheduled =
            fullWeight(factors)
                ? WeightedSchedulePicker.of(members, wholeWeights(members), counter, breakers)
                : null;
        picker =
            scheduled != null
                ? scheduled
                : new StridePicker(members, weights(members, factors, true), counter, breakers);
        break;
      case LEAST_CONNECTIONS:
        picker = new LeastConnectionsPicker(members, factors, counter, breakers);
        break;
      case POWER_OF_TWO_CHOICES:
        picker =
            new PeakEwmaPicker(members, factors, random, breakers);
        break;
      case CONSISTENT_HASH:
        picker = new MaglevPicker(members, weights(members, null, false), counter, breakers);
        break;
      default:
        throw new IllegalStateException("unknown algorithm " + algorithm);
    }
    return new Pool(members, picker, preferable);
  }

  private double[] weights(InstanceState[] members, double[] factors, boolean scored) {
    boolean useScore = scored && (config.healthScoring() || config.latencyWeighting());
    double[] w = new double[members.length];
    for (int i = 0; i < members.length; i++) {
      double v = members[i].instance.weight();
      if (factors != null) {
        v *= factors[i];
      }
      if (useScore) {
        v *= (double) Math.max(1, members[i].weightBucket) / Scorer.BUCKETS;
      }
      w[i] = v;
    }
    return w;
  }

  private static boolean fullWeight(double[] factors) {
    for (double f : factors) {
      if (f != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The weighted-round-robin weights as integers: instance weight x score bucket (the same
   * proportions as {@link #weights} without slow start, where the bucket is divided by {@link
   * Scorer#BUCKETS}).
   */
  private long[] wholeWeights(InstanceState[] members) {
    boolean useScore = config.healthScoring() || config.latencyWeighting();
    long[] w = new long[members.length];
    for (int i = 0; i < members.length; i++) {
      long v = members[i].instance.weight();
      if (useScore) {
        v *= Math.max(1, members[i].weightBucket);
      }
      w[i] = v;
    }
    return w;
  }

  /** Slow start: from {@code slowStartMinWeight} up to 1, linearly over the window. */
  double slowStartFactor(InstanceState s, long now) {
    if (slowStartNanos <= 0) {
      return 1;
    }
    long elapsed = now - s.addedAtNanos;
    if (elapsed >= slowStartNanos) {
      return 1;
    }
    double min = config.slowStartMinWeight();
    return min + (1 - min) * Math.max(0, elapsed) / slowStartNanos;
  }
}
