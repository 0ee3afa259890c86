package io.orchestra.scheduler.internal;

/**
 * The scores computed from resource utilisation after the placement, {@code u = (used + request)
 * / allocatable} per resource, averaged with the configured resource weights over the resources
 * the node has. Not instantiable.
 */
final class ResourceScorers {
  static final String TARGET = "resource_target";
  static final String LEAST = "least_allocated";
  static final String MOST = "most_allocated";
  static final String BALANCED = "balanced_allocation";

  private ResourceScorers() {}

  /** Weighted mean utilisation after placing {@code r} on slot {@code s}, clamped to 0..1. */
  static double meanUtilisation(NodeTable t, CompiledRequest r, int s, double[] w) {
    double sum = 0;
    double weight = 0;
    double a = t.allocCpu[s];
    if (a > 0) {
      sum += w[0] * Math.min(1, (t.usedCpu[s] + r.cpu) / a);
      weight += w[0];
    }
    a = t.allocMem[s];
    if (a > 0) {
      sum += w[1] * Math.min(1, (t.usedMem[s] + r.memory) / a);
      weight += w[1];
    }
    a = t.allocSto[s];
    if (a > 0) {
      sum += w[2] * Math.min(1, (t.usedSto[s] + r.storage) / a);
      weight += w[2];
    }
    a = t.allocNet[s];
    if (a > 0) {
      sum += w[3] * Math.min(1, (t.usedNet[s] + r.network) / a);
      weight += w[3];
    }
    return weight == 0 ? 0 : sum / weight;
  }

  /**
   * The seed's resource score: best at the target utilisation (0.75), falling linearly by twice
   * the distance: {@code 100 * max(0, 1 - 2 |u - target|)}.
   */
  static final class Target extends NodeScorer {
    private final double[] weights;
    private final double target;

    Target(double[] weights, double target) {
      super(TARGET);
      this.weights = weights;
      this.target = target;
    }

    @Override
    double score(RequestContext ctx, int s) {
      double u = meanUtilisation(ctx.table, ctx.req, s, weights);
      return 100 * Math.max(0, 1 - 2 * Math.abs(u - target));
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      NodeTable t = ctx.table;
      CompiledRequest r = ctx.req;
      double[] w = weights;
      double tg = target;
      for (int i = 0; i < n; i++) {
        double u = meanUtilisation(t, r, slots[i], w);
        totals[i] += weight * 100 * Math.max(0, 1 - 2 * Math.abs(u - tg));
      }
    }
  }

  /** Prefers empty nodes (spreading load): {@code 100 * (1 - u)}. */
  static final class Least extends NodeScorer {
    private final double[] weights;

    Least(double[] weights) {
      super(LEAST);
      this.weights = weights;
    }

    @Override
    double score(RequestContext ctx, int s) {
      return 100 * (1 - meanUtilisation(ctx.table, ctx.req, s, weights));
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      NodeTable t = ctx.table;
      CompiledRequest r = ctx.req;
      double[] w = weights;
      for (int i = 0; i < n; i++) {
        totals[i] += weight * 100 * (1 - meanUtilisation(t, r, slots[i], w));
      }
    }
  }

  /** Prefers full nodes (bin packing): {@code 100 * u}. */
  static final class Most extends NodeScorer {
    private final double[] weights;

    Most(double[] weights) {
      super(MOST);
      this.weights = weights;
    }

    @Override
    double score(RequestContext ctx, int s) {
      return 100 * meanUtilisation(ctx.table, ctx.req, s, weights);
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      NodeTable t = ctx.table;
      CompiledRequest r = ctx.req;
      double[] w = weights;
      for (int i = 0; i < n; i++) {
        totals[i] += weight * 100 * meanUtilisation(t, r, slots[i], w);
      }
    }
  }

  /**
   * Prefers nodes whose utilisation stays even across the requested resources, so that no
   * resource is exhausted while others idle: {@code 100 * (1 - standard deviation)} of the
   * utilisations of the resources the request asks for (100 when it asks for fewer than two).
   */
  static final class Balanced extends NodeScorer {
    Balanced() {
      super(BALANCED);
    }

    @Override
    boolean active(RequestContext ctx) {
      CompiledRequest r = ctx.req;
      int k = (r.cpu > 0 ? 1 : 0) + (r.memory > 0 ? 1 : 0) + (r.storage > 0 ? 1 : 0) + (r.network > 0 ? 1 : 0);
      return k >= 2;
    }

    @Override
    double score(RequestContext ctx, int s) {
      NodeTable t = ctx.table;
      CompiledRequest r = ctx.req;
      double sum = 0;
      double sq = 0;
      int k = 0;
      if (r.cpu > 0 && t.allocCpu[s] > 0) {
        double u = Math.min(1, (t.usedCpu[s] + r.cpu) / t.allocCpu[s]);
        sum += u;
        sq += u * u;
        k++;
      }
      if (r.memory > 0 && t.allocMem[s] > 0) {
        double u = Math.min(1, (t.usedMem[s] + r.memory) / t.allocMem[s]);
        sum += u;
        sq += u * u;
        k++;
      }
      if (r.storage > 0 && t.allocSto[s] > 0) {
        double u = Math.min(1, (t.usedSto[s] + r.storage) / t.allocSto[s]);
        sum += u;
        sq += u * u;
        k++;
      }
      if (r.network > 0 && t.allocNet[s] > 0) {
        double u = Math.min(1, (t.usedNet[s] + r.network) / t.allocNet[s]);
        sum += u;
        sq += u * u;
        k++;
      }
      if (k < 2) {
        return 100;
      }
      double mean = sum / k;
      double variance = Math.max(0, sq / k - mean * mean);
      return 100 * (1 - Math.sqrt(variance));
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      for (int i = 0; i < n; i++) {
        totals[i] += weight * score(ctx, slots[i]);
      }
    }
  }
}
