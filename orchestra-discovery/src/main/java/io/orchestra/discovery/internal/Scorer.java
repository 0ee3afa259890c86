package io.orchestra.discovery.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;

/**
 * The seed's weighted instance score (health 0.4, performance 0.3, proximity 0.2, load 0.1), with
 * its arithmetic made sound; see docs/discovery.md for each change. The health and performance
 * parts are recomputed when a signal arrives for that instance ({@link #update}); proximity and
 * load are added when a score is read, because they depend on the caller and on every pick.
 *
 * <p>Weights are divided by their sum so that a score stays in [0, 1] whatever the configured
 * weights. Thread-safe (immutable).
 */
final class Scorer {
  /** Score quantization step for weighted round robin: rebuild only when a bucket changes. */
  static final int BUCKETS = 10;

  private final double health;
  private final double performance;
  private final double proximity;
  private final double load;
  private final double latencyThresholdNanos;

  Scorer(DiscoveryConfig config) {
    double h = config.healthScoring() ? config.healthWeight() : 0;
    double p = config.latencyWeighting() ? config.performanceWeight() : 0;
    double x = config.geographicPreference() ? config.proximityWeight() : 0;
    double l = config.loadWeight();
    double sum = h + p + x + l;
    if (sum <= 0) { // every enabled weight is zero: fall back to plain health
      h = 1;
      sum = 1;
    }
    this.health = h / sum;
    this.performance = p / sum;
    this.proximity = x / sum;
    this.load = l / sum;
    this.latencyThresholdNanos = config.latencyThreshold().toNanos();
  }

  /** Recomputes the stored health + performance part of {@code s}; returns whether its weight bucket changed. */
  boolean update(InstanceState s) {
    // Stored under the same hold as it is computed: two signals racing on one instance store
    // their results in lock order, so the newest fields' score is the one left (stored after
    // the lock, an older result could overwrite a newer one until the next signal).
    synchronized (s) {
      s.baseScore = health * healthScore(s) + performance * performanceScore(s);
      int bucket = bucket(s);
      if (bucket != s.weightBucket) {
        s.weightBucket = bucket;
        return true;
      }
      return false;
    }
  }

  /** The full score of {@code s} for a caller in {@code ctx}, in [0, 1]. */
  double score(InstanceState s, ClientContext ctx) {
    double v =
        s.baseScore
            + proximity * proximityScore(s.instance, ctx)
            + load * loadScore(s.outstanding);
    return Math.min(1, Math.max(0, v));
  }

  /**
   * The full score of {@code s} computed from its fields now rather than from the stored part, so
   * that it agrees with them and with {@code outstanding}; the caller holds the monitor of {@code
   * s}. For status reads, not for picks.
   */
  double scoreNow(InstanceState s, ClientContext ctx, int outstanding) {
    double v =
        health * healthScore(s)
            + performance * performanceScore(s)
            + proximity * proximityScore(s.instance, ctx)
            + load * loadScore(outstanding);
    return Math.min(1, Math.max(0, v));
  }

  /**
   * A weight factor in (0, 1] from the health and performance part, in {@link #BUCKETS} steps
   * (never zero: a healthy-enough instance that scores badly still gets a little traffic).
   */
  int bucket(InstanceState s) {
    double part = health + performance;
    if (part <= 0) {
      return BUCKETS;
    }
    double normalized = s.baseScore / part;
    return Math.max(1, (int) Math.round(normalized * BUCKETS));
  }

  /**
   * Health in [0, 1]: 0.5 with no signal at all; 0 when checks failed or the instance is ejected;
   * otherwise 0.9, raised to 1.0 after more than ten successes in a row, less 0.2 per consecutive
   * failure and less the error rate.
   */
  static double healthScore(InstanceState s) {
    if (s.health == HealthState.UNHEALTHY || s.ejectedUntil != 0) {
      return 0;
    }
    if (s.health == HealthState.UNKNOWN && s.requests == 0) {
      return 0.5;
    }
    double score = s.consecutiveSuccesses > 10 ? 1.0 : 0.9;
    score -= s.consecutiveFailures * 0.2;
    score -= s.errorRate;
    return Math.max(0, Math.min(1, score));
  }

  /**
   * Performance in [0, 1]: 0.5 with no latency sample; otherwise 0.7 x the latency score (1 up to
   * the threshold, then falling linearly to 0.1 at twice the threshold) + 0.3 x the consistency
   * score (1 - coefficient of variation, 1 when the mean latency is 0).
   */
  double performanceScore(InstanceState s) {
    if (s.latencySamples == 0) {
      return 0.5;
    }
    double mean = s.meanLatency;
    double t = latencyThresholdNanos;
    double latencyScore = mean <= t ? 1.0 : Math.max(0.1, 1.0 - (mean - t) / t);
    double consistency;
    if (mean <= 0) {
      consistency = 1.0; // the seed divided by a zero average here
    } else {
      double cv = Math.sqrt(Math.max(0, s.latencyVariance)) / mean;
      consistency = Math.max(0, Math.min(1, 1.0 - cv));
    }
    return latencyScore * 0.7 + consistency * 0.3;
  }

  /** 1 in the caller's zone, 0.5 in its region or when either side is unknown, else 0. */
  static double proximityScore(ServiceInstance i, ClientContext ctx) {
    String cz = ctx.zone();
    String cr = ctx.region();
    if (cz != null && cz.equals(i.zone())) {
      return 1.0;
    }
    if (cr != null && cr.equals(i.region())) {
      return 0.5;
    }
    if ((cz == null && cr == null) || (i.zone() == null && i.region() == null)) {
      return 0.5;
    }
    return 0;
  }

  /** 1 with no outstanding call, halving-ish as calls pile up: {@code 1 / (1 + outstanding)}. */
  static double loadScore(int outstanding) {
    return 1.0 / (1 + Math.max(0, outstanding));
  }
}
