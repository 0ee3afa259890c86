package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.FilterPlugin;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Taint;
import io.orchestra.scheduler.Toleration;
import io.orchestra.scheduler.Topology;

/** The built-in filters (except resources, in {@link ResourcesFilter}). Not instantiable. */
final class Filters {
  static final String HEALTH = "node_health";
  static final String SELECTOR = "node_selector";
  static final String NODE_AFFINITY = "node_affinity";
  static final String TAINTS = "taint_toleration";
  static final String RESOURCES = "resources";
  static final String AFFINITY = "workload_affinity";
  static final String ANTI_AFFINITY = "workload_anti_affinity";
  static final String SPREAD = "topology_spread";

  private Filters() {}

  /** Unhealthy and cordoned nodes (and free slots) take nothing new. Always first, always on. */
  static final class Health extends NodeFilter {
    Health() {
      super(HEALTH);
    }

    /** Fills {@code slots} with every schedulable slot; returns the count. */
    static int collect(RequestContext ctx, int[] slots) {
      boolean[] ok = ctx.table.schedulable;
      int n = ctx.n;
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (ok[i]) {
          slots[k++] = i;
        }
      }
      return k;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return ctx.table.schedulable[slot];
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      NodeInfo info = ctx.table.info[slot];
      return !info.healthy() ? "node unhealthy" : "node cordoned";
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      NodeInfo info = ctx.table.info[slot];
      return info.healthy() && info.cordoned() ? "uncordon cordoned nodes" : null;
    }
  }

  /** The request's node selector: every pair must match. */
  static final class Selector extends NodeFilter {
    Selector() {
      super(SELECTOR);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.selector != null;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return ctx.req.selector.matches(ctx.table, ctx.symbols, slot);
    }

    @Override
    int filter(RequestContext ctx, int[] slots, int n) {
      return ctx.req.selector.keepMatching(ctx.table, ctx.symbols, slots, n);
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      int i = ctx.req.selector.firstFailure(ctx.table, ctx.symbols, slot);
      return "node selector " + ctx.req.selector.part(i) + " does not match";
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      // Name every failing pair: dropping only the first would not be enough.
      NodeInfo info = ctx.table.info[slot];
      StringBuilder sb = new StringBuilder("drop node selector ");
      String sep = "";
      for (java.util.Map.Entry<String, String> e :
          new java.util.TreeMap<>(ctx.request.nodeSelector()).entrySet()) {
        if (!e.getValue().equals(info.label(e.getKey()))) {
          sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
          sep = ", ";
        }
      }
      return sb.toString();
    }
  }

  /** Required node affinity: at least one term must hold. */
  static final class NodeAffinity extends NodeFilter {
    NodeAffinity() {
      super(NODE_AFFINITY);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.requiredNodeTerms.length > 0;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return ctx.nodeAffinityMatches(slot);
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      CompiledNodeTerm[] terms = ctx.req.requiredNodeTerms;
      if (terms.length == 1) {
        int i = terms[0].firstFailure(ctx.table, ctx.symbols, slot);
        return "node affinity " + terms[0].part(i) + " not satisfied";
      }
      return "no required node affinity term satisfied";
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      return "relax required node affinity";
    }
  }

  /** Taints with NoSchedule or NoExecute that no toleration matches keep the request off. */
  static final class Taints extends NodeFilter {
    Taints() {
      super(TAINTS);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.hasUntoleratedHard;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      int[] ids = ctx.table.taints[slot];
      for (int id : ids) {
        if (blocks(ctx, id)) {
          return false;
        }
      }
      return true;
    }

    @Override
    int filter(RequestContext ctx, int[] slots, int n) {
      int[][] taints = ctx.table.taints;
      boolean[] tainted = ctx.table.tainted;
      int k = 0;
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        if (!tainted[s]) {
          slots[k++] = s;
          continue;
        }
        int[] ids = taints[s];
        boolean ok = true;
        for (int id : ids) {
          if (blocks(ctx, id)) {
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

    static boolean blocks(RequestContext ctx, int taintId) {
      CompiledRequest req = ctx.req;
      if (taintId < req.tolerated.length) {
        return !req.tolerated[taintId] && ctx.symbols.taints()[taintId].effect().isHard();
      }
      // A taint interned after the request was compiled: decide from the tolerations directly.
      Taint t = ctx.symbols.taints()[taintId];
      return t.effect().isHard() && !tolerated(ctx.request, t);
    }

    static boolean tolerated(DeploymentRequest request, Taint t) {
      for (Toleration tol : request.tolerations()) {
        if (tol.tolerates(t)) {
          return true;
        }
      }
      return false;
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      for (int id : ctx.table.taints[slot]) {
        if (blocks(ctx, id)) {
          return "untolerated taint " + ctx.symbols.taints()[id];
        }
      }
      return "untolerated taint";
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      StringBuilder sb = new StringBuilder("tolerate ");
      String sep = "";
      for (int id : ctx.table.taints[slot]) {
        if (blocks(ctx, id)) {
          sb.append(sep).append(ctx.symbols.taints()[id]);
          sep = " and ";
        }
      }
      return sb.toString();
    }
  }

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

  /** Adapts a user {@link FilterPlugin}. */
  static final class Plugin extends NodeFilter {
    private final FilterPlugin plugin;

    Plugin(FilterPlugin plugin) {
      super(plugin.name());
      this.plugin = plugin;
    }

    @Override
    boolean test(RequestContext ctx, int slot) {
      return plugin.accepts(ctx.request, ctx.cursor.at(slot));
    }

    @Override
    String reason(RequestContext ctx, int slot) {
      return plugin.reason(ctx.request, ctx.cursor.at(slot));
    }
  }

  /** " on the node" for the node topology, else " in the node's <key>" (e.g. " in the node's zone"). */
  static String domainPhrase(String topologyKey) {
    return Topology.NODE.equals(topologyKey) ? " on the node" : " in the node's " + topologyKey;
  }
}
