package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.Topology;

/**
 * The built-in filters that judge a node by the workloads already placed in its domain (the node,
 * its zone, or any label's value): required inter-workload affinity and anti-affinity, and hard
 * topology spread. Each reads the {@link TermState} counts the {@link RequestContext} prepared for
 * the request's {@link WorkloadTerm}s.
 *
 * <p>Separate from {@link NodeFilters}, which judge a node's own description and know nothing of
 * placements or domains. Not instantiable.
 */
final class WorkloadFilters {
  static final String AFFINITY = "workload_affinity";
  static final String ANTI_AFFINITY = "workload_anti_affinity";
  static final String SPREAD = "topology_spread";

  private WorkloadFilters() {}

  /** Required inter-workload affinity: each term's domain must already hold a selected workload. */
  static final class Affinity extends NodeFilter {
    Affinity() {
      super(AFFINITY);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.requiredAffinity.length > 0;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return failing(ctx, slot) == null;
    }

    static WorkloadTerm failing(RequestContext ctx, int slot) {
      for (WorkloadTerm t : ctx.req.requiredAffinity) {
        TermState st = ctx.term(t);
        int d = st.domain(slot);
        if (d < 0) {
          return t;
        }
        // The first replica of a workload that selects itself may start anywhere.
        if (st.count(d) == 0 && !(st.total == 0 && t.selfMatch)) {
          return t;
        }
      }
      return null;
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      WorkloadTerm t = failing(ctx, slot);
      TermState st = ctx.term(t);
      return st.domain(slot) < 0
          ? "node lacks topology key " + t.topologyKey
          : "no workload for " + t.description + domainPhrase(t.topologyKey);
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      return "relax required " + failing(ctx, slot).description;
    }
  }

  /**
   * Required inter-workload anti-affinity, both the request's own terms and the terms of placed
   * workloads that select the request: no selected workload may share the node's domain.
   */
  static final class AntiAffinity extends NodeFilter {
    AntiAffinity() {
      super(ANTI_AFFINITY);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.requiredAntiAffinity.length > 0;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return failing(ctx, slot) == null;
    }

    @Override
    int filter(RequestContext ctx, int[] slots, int n) {
      WorkloadTerm[] terms = ctx.req.requiredAntiAffinity;
      int k = 0;
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        boolean ok = true;
        for (WorkloadTerm t : terms) {
          TermState st = ctx.terms[t.index];
          int d = st.domain(s);
          if (d >= 0 && st.count(d) > 0) {
            ok = false;
            break;
          }
        }
        if (ok) {
          slots[k++] = s;
        }
      }
      return k;
    }

    static WorkloadTerm failing(RequestContext ctx, int slot) {
      for (WorkloadTerm t : ctx.req.requiredAntiAffinity) {
        TermState st = ctx.term(t);
        int d = st.domain(slot);
        if (d >= 0 && st.count(d) > 0) {
          return t;
        }
      }
      return null;
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      WorkloadTerm t = failing(ctx, slot);
      return t.description + " already present" + domainPhrase(t.topologyKey);
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      return "relax " + failing(ctx, slot).description;
    }
  }

  /** Hard topology spread: the node's domain must stay within max skew of the least used. */
  static final class Spread extends NodeFilter {
    Spread() {
      super(SPREAD);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.hardSpread.length > 0;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return failing(ctx, slot) == null;
    }

    @Override
    int filter(RequestContext ctx, int[] slots, int n) {
      // One term at a time (the filter is a conjunction): count(domain) + self - min <= maxSkew
      // is count(domain) <= maxSkew + min - self, a bound fixed for the whole request.
      int k = n;
      for (WorkloadTerm t : ctx.req.hardSpread) {
        TermState st = ctx.terms[t.index];
        k = st.keepWithin(slots, k, t.maxSkew + st.min - (t.selfMatch ? 1 : 0));
      }
      return k;
    }

    static WorkloadTerm failing(RequestContext ctx, int slot) {
      for (WorkloadTerm t : ctx.req.hardSpread) {
        if (skewAfter(ctx, t, slot) > t.maxSkew) {
          return t;
        }
      }
      return null;
    }

    /** The skew after placing on {@code slot}; MAX_VALUE when the node has no domain. */
    static int skewAfter(RequestContext ctx, WorkloadTerm t, int slot) {
      TermState st = ctx.term(t);
      int d = st.domain(slot);
      if (d < 0) {
        return Integer.MAX_VALUE;
      }
      return st.count(d) + (t.selfMatch ? 1 : 0) - st.min;
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      WorkloadTerm t = failing(ctx, slot);
      return ctx.term(t).domain(slot) < 0
          ? "node lacks topology key " + t.topologyKey
          : "would exceed maxSkew " + t.maxSkew + " over " + t.topologyKey;
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      WorkloadTerm t = failing(ctx, slot);
      int skew = skewAfter(ctx, t, slot);
      if (skew == Integer.MAX_VALUE) {
        return null;
      }
      // Other failing spread terms are not counted: the fix is exact only for single-term requests.
      return "raise maxSkew over " + t.topologyKey + " to " + skew;
    }
  }

  /** " on the node" for the node topology, else " in the node's <key>" (e.g. " in the node's zone"). */
  static String domainPhrase(String topologyKey) {
    return Topology.NODE.equals(topologyKey) ? " on the node" : " in the node's " + topologyKey;
  }
}
