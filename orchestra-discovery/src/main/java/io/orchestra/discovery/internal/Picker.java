package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;

/**
 * A load balancer over a fixed array of eligible instances, built when the eligible set or the
 * weights change and then shared by every picking thread. Picks allocate nothing.
 *
 * <p>Implementations are thread-safe; their only mutable state is atomic.
 */
interface Picker {

  /**
   * One instance that the caller may use (not in the avoid set, breaker not open), or null when
   * no member qualifies.
   */
  InstanceState pick(ClientContext ctx);

  /** Whether {@code s} may take this call: not avoided, and its breaker (if any) permits calls. */
  static boolean usable(InstanceState s, ClientContext ctx, boolean breakers) {
    if (ctx.avoids(s.id)) {
      return false;
    }
    // A closed breaker (the usual case) is one field read; anything else asks the breaker.
    return !breakers || s.breakerClosed() || s.breaker.isCallPermitted();
  }

  /** Scans from {@code start} for the first usable member; the slow path when picks keep failing. */
  static InstanceState scan(InstanceState[] members, int start, ClientContext ctx, boolean breakers) {
    int n = members.length;
    for (int k = 0; k < n; k++) {
      InstanceState s = members[(start + k) % n];
      if (usable(s, ctx, breakers)) {
        return s;
      }
    }
    return null;
  }
}
