package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.FilterRejection;
import io.orchestra.scheduler.SuggestedFix;
import io.orchestra.scheduler.Unschedulable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Unschedulable} explanation: every active filter is judged on every node on its
 * own (not only on the nodes earlier filters let through), so the counts say how many nodes each
 * constraint excludes; nodes excluded by exactly one filter give the nearest fixes. Runs only when
 * nothing fits, so it may allocate.
 *
 * <p>Reads the live state through the prepared context, so it describes one state only when that
 * state does not change while it runs: the caller either holds the store's lock or discards the
 * result when the store's version moved (see {@link Placer}). On a torn read it must still
 * complete (a removed node has no description); its result is then thrown away.
 */
final class Explainer {
  private Explainer() {}

  static Unschedulable explain(RequestContext ctx, NodeFilter[] filters) {
    List<NodeFilter> active = new ArrayList<>();
    for (NodeFilter f : filters) {
      if (f.active(ctx)) {
        active.add(f);
      }
    }
    int k = active.size();
    int[] rejected = new int[k];
    List<Map<String, Integer>> reasons = new ArrayList<>();
    int[][] single = new int[k][];
    int[] singleCount = new int[k];
    for (int f = 0; f < k; f++) {
      reasons.add(new LinkedHashMap<>());
      single[f] = new int[8];
    }
    int nodes = 0;
    for (int slot = 0; slot < ctx.n; slot++) {
      if (ctx.table.info[slot] == null) {
        continue;
      }
      nodes++;
      int blockers = 0;
      int last = -1;
      for (int f = 0; f < k; f++) {
        NodeFilter filter = active.get(f);
        if (!filter.test(ctx, slot)) {
          rejected[f]++;
          reasons.get(f).merge(filter.reason(ctx, slot), 1, Integer::sum);
          blockers++;
          last = f;
        }
      }
      if (blockers == 1) {
        if (singleCount[last] == single[last].length) {
          single[last] = java.util.Arrays.copyOf(single[last], singleCount[last] * 2);
        }
        single[last][singleCount[last]++] = slot;
      }
    }
    List<FilterRejection> rejections = new ArrayList<>();
    List<SuggestedFix> fixes = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      if (rejected[f] > 0) {
        rejections.add(new FilterRejection(active.get(f).name, rejected[f], reasons.get(f)));
      }
      if (singleCount[f] > 0) {
        active.get(f).suggest(ctx, single[f], singleCount[f], fixes);
      }
    }
    fixes.removeIf(fix -> fix.nodes() == 0);
    fixes.sort(Comparator.comparingInt(SuggestedFix::nodes).reversed());
    return new Unschedulable(ctx.request.workload(), nodes, rejections, fixes);
  }
}
