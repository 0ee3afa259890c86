package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.time.RandomSource;
import io.orchestra.mesh.policy.LoadBalancing;

/**
 * Chooses an instance of a {@link Group}: skips drained instances (weight 0), instances whose
 * breaker refuses calls and those already tried by this request, then applies the balancing
 * algorithm. Allocation-free apart from
 * {@link #healthiest} (used only for half-open probes).
 */
final class Balancer {
  private Balancer() {}

  /**
   * An instance of {@code group}, or null when every candidate is excluded or refused by its
   * breaker.
   *
   * @param tried instances to avoid (the first {@code triedCount} entries)
   */
  static InstanceState select(
      LoadBalancing algorithm, Group group, InstanceState[] tried, int triedCount, RandomSource random) {
    // One small method per algorithm: each inlines into the request path (this dispatch too),
    // where one method holding all three would be too big to inline.
    InstanceState[] m = group.members;
    if (m.length == 0) {
      return null;
    }
    switch (algorithm) {
      case ROUND_ROBIN:
        return roundRobin(group, m, tried, triedCount);
      case WEIGHTED:
        return weighted(m, tried, triedCount, random);
      case LEAST_CONNECTION:
      default:
        return leastConnection(m, tried, triedCount, random);
    }
  }

  private static InstanceState roundRobin(Group group, InstanceState[] m, InstanceState[] tried, int triedCount) {
    int n = m.length;
    int base = group.cursor.getAndIncrement();
    for (int i = 0; i < n; i++) {
      InstanceState s = m[Math.floorMod(base + i, n)];
      if (eligible(s, tried, triedCount)) {
        return s;
      }
    }
    return null;
  }

  private static InstanceState weighted(InstanceState[] m, InstanceState[] tried, int triedCount, RandomSource random) {
    long total = 0;
    for (InstanceState s : m) {
      if (eligible(s, tried, triedCount)) {
        total += s.weight;
      }
    }
    if (total == 0) {
      return null;
    }
    long r = random.nextLong(total);
    for (InstanceState s : m) {
      if (eligible(s, tried, triedCount)) {
        r -= s.weight;
        if (r < 0) {
          return s;
        }
      }
    }
    return null;
  }

  private static InstanceState leastConnection(InstanceState[] m, InstanceState[] tried, int triedCount, RandomSource random) {
    int n = m.length;
    // Random starting point: ties do not always go to the first instance. The draw's top 32 bits
    // scaled to n (multiply and shift) instead of nextInt(n)'s remainder: no division per
    // request, and a bias of at most n / 2^32, immaterial for a tie-break.
    int start = n == 1 ? 0 : (int) (((random.nextLong() >>> 32) * n) >>> 32);
    InstanceState best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      int idx = start + i;
      InstanceState s = m[idx >= n ? idx - n : idx];
      // The load first: a candidate that would not improve on the best is not asked whether it
      // is eligible (a breaker read), which chooses the same instance.
      int load = s.inFlight();
      if (load < bestLoad && eligible(s, tried, triedCount)) {
        best = s;
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * The healthiest candidate for a probe while the service breaker is half-open: a closed
   * instance breaker first, then the lowest failure rate, then the fewest requests in flight.
   */
  static InstanceState healthiest(Group group, InstanceState[] tried, int triedCount) {
    InstanceState best = null;
    int bestRank = Integer.MAX_VALUE;
    float bestRate = Float.MAX_VALUE;
    int bestLoad = Integer.MAX_VALUE;
    for (InstanceState s : group.members) {
      if (!eligible(s, tried, triedCount)) {
        continue;
      }
      CircuitBreaker b = s.breaker;
      int rank = 0;
      float rate = 0;
      if (b != null) {
        CircuitBreaker.Metrics metrics = b.metrics();
        rank = metrics.state() == CircuitState.CLOSED || metrics.state() == CircuitState.DISABLED ? 0 : 1;
        rate = Math.max(0, metrics.failureRate());
      }
      int load = s.inFlight();
      if (rank < bestRank
          || (rank == bestRank && (rate < bestRate || (rate == bestRate && load < bestLoad)))) {
        best = s;
        bestRank = rank;
        bestRate = rate;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Whether some member's breaker refuses calls now (else a failed choice means weight 0 only). */
  static boolean anyRefused(Group group) {
    for (InstanceState s : group.members) {
      if (!s.permits()) {
        return true;
      }
    }
    return false;
  }

  /** Not tried yet by this request, not drained (weight 0, as core's contract says), breaker permits. */
  private static boolean eligible(InstanceState s, InstanceState[] tried, int triedCount) {
    if (s.weight == 0) {
      return false;
    }
    for (int i = 0; i < triedCount; i++) {
      if (tried[i] == s) {
        return false;
      }
    }
    return s.permits();
  }
}
