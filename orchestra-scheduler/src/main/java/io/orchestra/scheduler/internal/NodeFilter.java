package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.SuggestedFix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hard constraint of the pipeline. The hot path calls {@link #filter}, which compacts the
 * candidate slots in place; validation and explanations call {@link #test} on single nodes, which
 * must give the same answer. Built-in filters override {@link #filter} with a loop of their own so
 * the JIT inlines {@link #test} there.
 *
 * <p>Stateless: per-request data lives in the {@link RequestContext}.
 */
abstract class NodeFilter {
  final String name;

  NodeFilter(String name) {
    this.name = name;
  }

  /** Whether the request gives this filter anything to check (inactive filters are skipped). */
  boolean active(RequestContext ctx) {
    return true;
  }

  /** Whether the node passes. */
  abstract boolean test(RequestContext ctx, int slot);

  /** Keeps the passing slots among the first {@code n}, in order; returns how many remain. */
  int filter(RequestContext ctx, int[] slots, int n) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      int s = slots[i];
      if (test(ctx, s)) {
        slots[k++] = s;
      }
    }
    return k;
  }

  /** Why the node fails; low-cardinality text (no per-node numbers). Slow path only. */
  abstract String reason(RequestContext ctx, int slot);

  /**
   * The change that would let this (failing) node pass, or null when there is none worth
   * suggesting. Nodes with equal text are counted together. Slow path only.
   */
  String fix(RequestContext ctx, int slot) {
    return null;
  }

  /** Adds suggestions for the nodes that fail this filter and no other. Slow path only. */
  void suggest(RequestContext ctx, int[] slots, int n, List<SuggestedFix> out) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String f = fix(ctx, slots[i]);
      if (f != null) {
        counts.merge(f, 1, Integer::sum);
      }
    }
    counts.forEach((change, nodes) -> out.add(new SuggestedFix(name, change, nodes)));
  }
}
