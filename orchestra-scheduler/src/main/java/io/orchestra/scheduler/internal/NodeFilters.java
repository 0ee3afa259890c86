package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Taint;
import io.orchestra.scheduler.Toleration;

/**
 * The built-in filters that judge a node by its own description: health and cordon, node selector,
 * required node affinity, taints. Each reads the node's row of the {@link NodeTable} and the
 * compiled request only, never the placements.
 *
 * <p>Separate from {@link WorkloadFilters}, which judge the workloads already placed in a node's
 * domain, and from {@link ResourcesFilter}, which judges what is reserved on the node. Not
 * instantiable.
 */
final class NodeFilters {
  static final String HEALTH = "node_health";
  static final String SELECTOR = "node_selector";
  static final String NODE_AFFINITY = "node_affinity";
  static final String TAINTS = "taint_toleration";

  private NodeFilters() {}

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

    // Explanations may run without the lock (the Placer keeps one only when the store's version
    // shows it read one state): a node counted a moment ago may have been removed since (its row
    // cleared, info null), so the slow-path methods here read info null-safely.

    @Override
    String reason(RequestContext ctx, int slot) {
      NodeInfo info = ctx.table.info[slot];
      return info == null ? "node removed" : !info.healthy() ? "node unhealthy" : "node cordoned";
    }

    @Override
    String fix(RequestContext ctx, int slot) {
      NodeInfo info = ctx.table.info[slot];
      return info != null && info.healthy() && info.cordoned() ? "uncordon cordoned nodes" : null;
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
      if (info == null) {
        return null; // removed since it was counted (see Health)
      }
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
      // Nothing blocks any more when the node changed (or was removed) since it was counted.
      return sep.isEmpty() ? null : sb.toString();
    }
  }
}
