package io.orchestra.scheduler.internal;

/**
 * The four scores computed from resource utilisation after the placement, {@code u = (used +
 * request) / allocatable} per resource (at most 1):
 *
 * <ul>
 *   <li>{@code resource_target} - the seed's resource score: best at the target utilisation
 *       (0.75), falling linearly by twice the distance, {@code 100 * max(0, 1 - 2 |u - target|)};
 *   <li>{@code least_allocated} - prefers empty nodes (spreads load), {@code 100 * (1 - u)};
 *   <li>{@code most_allocated} - prefers full nodes (bin packing), {@code 100 * u};
 *   <li>{@code balanced_allocation} - prefers even cpu and memory utilisation (as Kubernetes'
 *       default), {@code 100 * (1 - |u_cpu - u_memory| / 2)}, which is one minus their standard
 *       deviation; only when the request asks for both.
 * </ul>
 *
 * The first three use the mean of {@code u} weighted by the configured resource weights over the
 * resources the node has. They are separate scores with separate weights, computed in one pass
 * over the candidates (the utilisations are shared), with multiplications by precomputed
 * reciprocals of the capacities.
 */
final class ResourceScorers extends NodeScorer {
  static final String TARGET = "resource_target";
  static final String LEAST = "least_allocated";
  static final String MOST = "most_allocated";
  static final String BALANCED = "balanced_allocation";

  private final double[] rw;
  private final double target;
  private final double wTarget;
  private final double wLeast;
  private final double wMost;
  private final double wBalanced;
  /** Per node resource mask: 1 / (sum of the weights of the resources the node has), or 0. */
  private final double[] inverseWeightSum = new double[16];

  /**
   * @param resourceWeights normalised resource weights in resource order
   * @param weights the weights of target, least, most, balanced (any may be 0)
   */
  ResourceScorers(double[] resourceWeights, double target, double[] weights) {
    super("resource");
    this.rw = resourceWeights;
    this.target = target;
    this.wTarget = weights[0];
    this.wLeast = weights[1];
    this.wMost = weights[2];
    this.wBalanced = weights[3];
    for (int mask = 0; mask < 16; mask++) {
      double sum = 0;
      for (int r = 0; r < 4; r++) {
        if ((mask & (1 << r)) != 0) {
          sum += rw[r];
        }
      }
      inverseWeightSum[mask] = sum > 0 ? 1 / sum : 0;
    }
  }

  private static boolean balancedActive(CompiledRequest r) {
    return r.cpu > 0 && r.memory > 0;
  }

  @Override
  double activeWeight(RequestContext ctx, double weight) {
    return wTarget + wLeast + wMost + (balancedActive(ctx.req) ? wBalanced : 0);
  }

  @Override
  double score(RequestContext ctx, int s) {
    double[] one = new double[1];
    addScores(ctx, new int[] {s}, 1, 1, one);
    double w = activeWeight(ctx, 1);
    return w == 0 ? 0 : one[0] / w;
  }

  // Comparisons instead of Math.min/max: those also order NaN and -0.0, which costs
  // instructions here and cannot occur.
  @Override
  void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
    NodeTable t = ctx.table;
    CompiledRequest r = ctx.req;
    double rc = r.cpu;
    double rm = r.memory;
    double rs = r.storage;
    double rn = r.network;
    double w0 = rw[0];
    double w1 = rw[1];
    double w2 = rw[2];
    double w3 = rw[3];
    double wt = wTarget * 100;
    double wl = wLeast * 100;
    double wm = wMost * 100;
    double wb = balancedActive(r) ? wBalanced * 100 : 0;
    double tg = target;
    double[] inv = inverseWeightSum;
    double[] uc = t.usedCpu;
    double[] um = t.usedMem;
    double[] us = t.usedSto;
    double[] un = t.usedNet;
    double[] ic = t.invCpu;
    double[] im = t.invMem;
    double[] is = t.invSto;
    double[] in = t.invNet;
    byte[] masks = t.resourceMask;
    for (int i = 0; i < n; i++) {
      int s = slots[i];
      double fc = (uc[s] + rc) * ic[s];
      double fm = (um[s] + rm) * im[s];
      double fs = (us[s] + rs) * is[s];
      double fn = (un[s] + rn) * in[s];
      fc = fc < 1 ? fc : 1;
      fm = fm < 1 ? fm : 1;
      fs = fs < 1 ? fs : 1;
      fn = fn < 1 ? fn : 1;
      int mask = masks[s];
      // Resources the node lacks have a reciprocal of 0, hence a utilisation of 0, and no weight.
      double mean = (w0 * fc + w1 * fm + w2 * fs + w3 * fn) * inv[mask];
      double distance = mean > tg ? mean - tg : tg - mean;
      double near = 1 - 2 * distance;
      double score = wt * (near > 0 ? near : 0) + wl * (1 - mean) + wm * mean;
      if (wb != 0 && (mask & 3) == 3) {
        // The standard deviation of two values is half their distance.
        double spread = fc > fm ? fc - fm : fm - fc;
        score += wb * (1 - spread / 2);
      } else if (wb != 0) {
        score += wb; // a node without cpu or memory capacity cannot be unbalanced in them
      }
      totals[i] += score;
    }
  }
}
