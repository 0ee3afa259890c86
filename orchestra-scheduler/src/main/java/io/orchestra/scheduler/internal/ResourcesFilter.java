package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.ResourceKind;
import io.orchestra.scheduler.SuggestedFix;
import java.util.List;

/**
 * Capacity for every resource: what is reserved on the node plus the request must not exceed
 * what the node can allocate. A zero request always fits. Sums of many fractional requests
 * carry rounding error, so the comparison allows one part in a billion of the node's capacity.
 */
final class ResourcesFilter extends NodeFilter {
  static final String NAME = "resources";
  /** Relative slack for floating-point rounding in sums of requests. */
  static final double SLACK = 1e-9;

  ResourcesFilter() {
    super(NAME);
  }

  static boolean fits(double used, double request, double allocatable) {
    return request == 0 || used + request <= allocatable * (1 + SLACK);
  }

  @Override
  boolean test(RequestContext ctx, int s) {
    NodeTable t = ctx.table;
    CompiledRequest r = ctx.req;
    return fits(t.usedCpu[s], r.cpu, t.allocCpu[s])
        && fits(t.usedMem[s], r.memory, t.allocMem[s])
        && fits(t.usedSto[s], r.storage, t.allocSto[s])
        && fits(t.usedNet[s], r.network, t.allocNet[s]);
  }

  @Override
  int filter(RequestContext ctx, int[] slots, int n) {
    NodeTable t = ctx.table;
    CompiledRequest r = ctx.req;
    double cpu = r.cpu;
    double mem = r.memory;
    double sto = r.storage;
    double net = r.network;
    double[] uc = t.usedCpu;
    double[] um = t.usedMem;
    double[] us = t.usedSto;
    double[] un = t.usedNet;
    double[] ac = t.allocCpu;
    double[] am = t.allocMem;
    double[] as = t.allocSto;
    double[] an = t.allocNet;
    int k = 0;
    for (int i = 0; i < n; i++) {
      int s = slots[i];
      if (fits(uc[s], cpu, ac[s]) && fits(um[s], mem, am[s]) && fits(us[s], sto, as[s]) && fits(un[s], net, an[s])) {
        slots[k++] = s;
      }
    }
    return k;
  }

  /** Fills {@code slots} with every schedulable slot that fits the request; returns the count. */
  static int collectHealthyFitting(RequestContext ctx, int[] slots) {
    return collectHealthyFitting(ctx, 0, ctx.n, slots);
  }

  /**
   * Fills {@code slots} with the schedulable slots in {@code [from, to)} that fit the request, in
   * slot order; returns the count.
   */
  static int collectHealthyFitting(RequestContext ctx, int from, int to, int[] slots) {
    NodeTable t = ctx.table;
    CompiledRequest r = ctx.req;
    double cpu = r.cpu;
    double mem = r.memory;
    double sto = r.storage;
    double net = r.network;
    boolean[] ok = t.schedulable;
    double[] uc = t.usedCpu;
    double[] um = t.usedMem;
    double[] us = t.usedSto;
    double[] un = t.usedNet;
    double[] ac = t.allocCpu;
    double[] am = t.allocMem;
    double[] as = t.allocSto;
    double[] an = t.allocNet;
    int k = 0;
    for (int s = from; s < to; s++) {
      if (ok[s] && fits(uc[s], cpu, ac[s]) && fits(um[s], mem, am[s]) && fits(us[s], sto, as[s]) && fits(un[s], net, an[s])) {
        slots[k++] = s;
      }
    }
    return k;
  }

  @Override
  String reason(RequestContext ctx, int s) {
    StringBuilder sb = new StringBuilder("insufficient ");
    String sep = "";
    for (ResourceKind kind : ResourceKind.values()) {
      if (!fits(used(ctx.table, kind, s), request(ctx.req, kind), alloc(ctx.table, kind, s))) {
        sb.append(sep).append(kind.label());
        sep = " and ";
      }
    }
    return sb.toString();
  }

  /**
   * Suggests the smallest relative reduction of the request that fits one of the nodes that only
   * capacity rejects, and counts how many of them the reduced request would fit. Nodes with
   * nothing left of a requested resource are no candidates (a request of zero is no fix), and the
   * suggested amounts are rounded down to what is shown, so that applying the text fits.
   */
  @Override
  void suggest(RequestContext ctx, int[] slots, int n, List<SuggestedFix> out) {
    NodeTable t = ctx.table;
    CompiledRequest r = ctx.req;
    int best = -1;
    double bestCut = Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      int s = slots[i];
      double cut = 0;
      for (ResourceKind kind : ResourceKind.values()) {
        double req = request(r, kind);
        if (!fits(used(t, kind, s), req, alloc(t, kind, s))) {
          double room = suggestion(used(t, kind, s), alloc(t, kind, s));
          cut = room > 0 ? Math.max(cut, (req - room) / req) : Double.MAX_VALUE;
        }
      }
      if (cut < bestCut) {
        bestCut = cut;
        best = s;
      }
    }
    if (best < 0) {
      return;
    }
    double[] reduced = new double[4];
    StringBuilder sb = new StringBuilder("request ");
    String sep = "";
    for (ResourceKind kind : ResourceKind.values()) {
      double req = request(r, kind);
      reduced[kind.ordinal()] = req;
      if (!fits(used(t, kind, best), req, alloc(t, kind, best))) {
        double room = suggestion(used(t, kind, best), alloc(t, kind, best));
        reduced[kind.ordinal()] = room;
        sb.append(sep).append(kind.label()).append(" <= ").append(Fmt.num(room));
        sep = " and ";
      }
    }
    int fitting = 0;
    for (int i = 0; i < n; i++) {
      int s = slots[i];
      boolean ok = true;
      for (ResourceKind kind : ResourceKind.values()) {
        ok &= fits(used(t, kind, s), reduced[kind.ordinal()], alloc(t, kind, s));
      }
      if (ok) {
        fitting++;
      }
    }
    out.add(new SuggestedFix(name, sb.toString(), fitting));
  }

  /**
   * The largest amount with at most three decimals ({@link Fmt#num} shows no more) that fits next
   * to {@code used}; 0 when there is no such amount.
   */
  static double suggestion(double used, double allocatable) {
    double steps = Math.floor(Math.max(0, allocatable - used) * 1000);
    // The subtraction and the product may land just below a whole step that still fits.
    return fits(used, (steps + 1) / 1000, allocatable) ? (steps + 1) / 1000 : steps / 1000;
  }

  static double request(CompiledRequest r, ResourceKind kind) {
    switch (kind) {
      case CPU:
        return r.cpu;
      case MEMORY:
        return r.memory;
      case STORAGE:
        return r.storage;
      default:
        return r.network;
    }
  }

  static double used(NodeTable t, ResourceKind kind, int s) {
    switch (kind) {
      case CPU:
        return t.usedCpu[s];
      case MEMORY:
        return t.usedMem[s];
      case STORAGE:
        return t.usedSto[s];
      default:
        return t.usedNet[s];
    }
  }

  static double alloc(NodeTable t, ResourceKind kind, int s) {
    switch (kind) {
      case CPU:
        return t.allocCpu[s];
      case MEMORY:
        return t.allocMem[s];
      case STORAGE:
        return t.allocSto[s];
      default:
        return t.allocNet[s];
    }
  }
}
