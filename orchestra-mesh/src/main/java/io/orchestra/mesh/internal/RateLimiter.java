package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.policy.RateLimitPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiled rate limits, indexed by destination. Every limit that applies must grant a permit; the
 * first that refuses is reported. Bucket state survives a policy swap when a policy keeps its name
 * and settings. Immutable structure over thread-safe buckets.
 */
final class RateLimiter {
  private final List<Limit> all;
  private final Map<String, Limit[]> byDestination;
  private final Limit[] anywhere;

  RateLimiter(List<RateLimitPolicy> policies, Ticker ticker, RateLimiter previous) {
    Map<String, Limit> old = new HashMap<>();
    if (previous != null) {
      for (Limit l : previous.all) {
        old.put(l.policy.name(), l);
      }
    }
    List<Limit> limits = new ArrayList<>();
    Set<String> destinations = new LinkedHashSet<>();
    for (RateLimitPolicy p : policies) {
      Limit prior = old.get(p.name());
      KeyedBuckets buckets =
          prior != null && prior.policy.equals(p)
              ? prior.buckets
              : new KeyedBuckets(p.limit(), p.maxTrackedKeys(), ticker);
      limits.add(new Limit(p, buckets));
      destinations.addAll(p.destinations());
    }
    this.all = List.copyOf(limits);
    this.anywhere = select(limits, null);
    Map<String, Limit[]> by = new HashMap<>();
    for (String d : destinations) {
      by.put(d, select(limits, d));
    }
    this.byDestination = by;
  }

  /** Drops every limit's idle tables that carry no state (see {@link KeyedBuckets#sweepIdleTables}). */
  void sweepIdleTables() {
    for (Limit l : all) {
      l.buckets.sweepIdleTables();
    }
  }

  /** The limits that apply to {@code destination}. */
  Limit[] limits(String destination) {
    Limit[] limits = byDestination.get(destination);
    return limits != null ? limits : anywhere;
  }

  /**
   * Takes a permit from every limit of {@code dp}; returns the index of the first that refused, or
   * -1. A cached table that was dropped, or the shared overflow table, is looked up again first,
   * and the answer cached in {@code dp}: a destination that found no room earlier gets its own
   * table once there is room, and one whose idle table went gets the new one.
   *
   * @param nowNanos a reading of the buckets' ticker (the request's start: one clock read less)
   */
  static int tryAcquire(DestinationPolicy dp, PeerIdentity peer, Request request, long nowNanos) {
    Limit[] limits = dp.limits;
    BucketTable[] tables = dp.tables;
    for (int i = 0; i < limits.length; i++) {
      if (!limits[i].buckets.tryAcquire(tables, i, dp.destination, limits[i].key(peer, request), nowNanos)) {
        return i;
      }
    }
    return -1;
  }

  private static Limit[] select(List<Limit> limits, String destination) {
    List<Limit> out = new ArrayList<>();
    for (Limit l : limits) {
      List<String> d = l.policy.destinations();
      if (d.isEmpty() || (destination != null && d.contains(destination))) {
        out.add(l);
      }
    }
    return out.toArray(new Limit[0]);
  }

  /** One compiled limit. */
  static final class Limit {
    final RateLimitPolicy policy;
    final KeyedBuckets buckets;
    final String detail;

    Limit(RateLimitPolicy policy, KeyedBuckets buckets) {
      this.policy = policy;
      this.buckets = buckets;
      TokenBucket.Config c = policy.limit();
      this.detail =
          "rate limit \""
              + policy.name()
              + "\" ("
              + c.permitsPerPeriod()
              + " per "
              + c.period()
              + ", burst "
              + c.burst()
              + ", per "
              + policy.key().name().toLowerCase(java.util.Locale.ROOT)
              + ") is exhausted";
    }

    /** This limit's buckets for {@code destination}. */
    BucketTable table(String destination) {
      return buckets.table(destination);
    }

    /** The bucket key of {@code request}. */
    String key(PeerIdentity peer, Request request) {
      switch (policy.key()) {
        case SOURCE_IDENTITY:
          return peer.identity() == null ? "" : peer.identity();
        case PATH:
          {
            String path = request.path();
            int end = PolicyMatching.pathEnd(path);
            return end == path.length() ? path : path.substring(0, end);
          }
        case HEADER:
          {
            String v = PolicyMatching.header(request.headers(), policy.header());
            return v == null ? "" : v;
          }
        default:
          return "";
      }
    }
  }
}
