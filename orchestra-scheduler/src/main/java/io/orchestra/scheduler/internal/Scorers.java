package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.ScorePlugin;

/** The built-in scores that do not depend on resources, and the user plugin adapter. */
final class Scorers {
  static final String NODE_AFFINITY = "node_affinity";
  static final String WORKLOAD_AFFINITY = "workload_affinity";
  static final String TAINTS = "taint_toleration";
  static final String SPREAD = "topology_spread";
  static final String DEFAULT_SPREAD = "default_spread";
  static final String HEALTH = "node_health";

  private Scorers() {}

  /** Preferred node affinity: the share of preferred-term weight the node satisfies. */
  static final class NodeAffinity extends NodeScorer {
    NodeAffinity() {
      super(NODE_AFFINITY);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.preferredNodeTerms.length > 0;
    }

    @Override
    double score(RequestContext ctx, int s) {
      CompiledRequest r = ctx.req;
      int sum = 0;
      for (int i = 0; i < r.preferredNodeTerms.length; i++) {
        if (r.preferredNodeTerms[i].matches(ctx.table, ctx.symbols, s)) {
          sum += r.preferredNodeWeights[i];
        }
      }
      return 100.0 * sum / r.preferredNodeWeightSum;
    }
  }

  /**
   * Preferred inter-workload affinity and anti-affinity: starts at 50, moves up by the weight of
   * each satisfied affinity term and down by the weight of each violated anti-affinity term, as a
   * share of the total weight.
   */
  static final class WorkloadAffinity extends NodeScorer {
    WorkloadAffinity() {
      super(WORKLOAD_AFFINITY);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.preferredWorkloadWeightSum > 0;
    }

    @Override
    double score(RequestContext ctx, int s) {
      CompiledRequest r = ctx.req;
      int sum = 0;
      for (WorkloadTerm t : r.preferredAffinity) {
        if (ctx.term(t).countAt(s) > 0) {
          sum += t.weight;
        }
      }
      for (WorkloadTerm t : r.preferredAntiAffinity) {
        if (ctx.term(t).countAt(s) > 0) {
          sum -= t.weight;
        }
      }
      return 50 + 50.0 * sum / r.preferredWorkloadWeightSum;
    }
  }

  /** PreferNoSchedule taints the request does not tolerate: {@code 100 / (1 + count)}. */
  static final class Taints extends NodeScorer {
    Taints() {
      super(TAINTS);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.req.hasUntoleratedSoft;
    }

    @Override
    double score(RequestContext ctx, int s) {
      int count = 0;
      for (int id : ctx.table.taints[s]) {
        io.orchestra.scheduler.Taint t = ctx.symbols.taints()[id];
        if (!t.effect().isHard() && !ctx.req.tolerates(id) && !Filters.Taints.tolerated(ctx.request, t)) {
          count++;
        }
      }
      return 100.0 / (1 + count);
    }
  }

  /**
   * Spreading as a preference: for each term, the candidate whose domain holds the fewest selected
   * workloads scores 100 and the one with the most scores 0, linearly between (nodes without the
   * key score 0); terms are averaged. Used for ScheduleAnyway constraints and, when the request
   * states no spread at all, for the workload's own replicas per node and per zone.
   */
  static final class Spread extends NodeScorer {
    private final boolean defaults;

    Spread(boolean defaults) {
      super(defaults ? DEFAULT_SPREAD : SPREAD);
      this.defaults = defaults;
    }

    private WorkloadTerm[] terms(RequestContext ctx) {
      return defaults ? ctx.req.defaultSpread : ctx.req.softSpread;
    }

    @Override
    boolean active(RequestContext ctx) {
      for (WorkloadTerm t : terms(ctx)) {
        if (ctx.term(t).total > 0) {
          return true;
        }
      }
      return false; // nothing placed yet: every node scores the same
    }

    @Override
    double score(RequestContext ctx, int s) {
      throw new UnsupportedOperationException("spread scores are relative to the candidates");
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      WorkloadTerm[] terms = terms(ctx);
      int used = 0;
      for (WorkloadTerm t : terms) {
        if (ctx.term(t).column != null) {
          used++; // no node has the key (for example no zones): the term says nothing
        }
      }
      if (used == 0) {
        return;
      }
      double share = weight * 100 / used;
      if (terms.length == 2 && used == 2 && defaults) {
        addTwo(ctx.term(terms[0]), ctx.term(terms[1]), slots, n, share, totals);
        return;
      }
      for (WorkloadTerm t : terms) {
        TermState st = ctx.term(t);
        if (st.column == null) {
          continue;
        }
        long range = st.fillCandidateCounts(slots, n);
        if (range < 0) {
          continue;
        }
        int lo = (int) (range >>> 32);
        int hi = (int) range;
        int[] counts = st.candidateCounts;
        if (hi == lo) {
          for (int i = 0; i < n; i++) {
            if (counts[i] >= 0) {
              totals[i] += share;
            }
          }
          continue;
        }
        double perCount = share / (hi - lo);
        for (int i = 0; i < n; i++) {
          int c = counts[i];
          if (c >= 0) {
            totals[i] += (hi - c) * perCount;
          }
        }
      }
    }
  }

  /** Two terms (own replicas per node and per zone) with the fill passes done, in one pass. */
  private static void addTwo(TermState a, TermState b, int[] slots, int n, double share, double[] totals) {
    long ra = a.fillCandidateCounts(slots, n);
    long rb = b.fillCandidateCounts(slots, n);
    int[] ca = a.candidateCounts;
    int[] cb = b.candidateCounts;
    int hiA = (int) ra;
    int hiB = (int) rb;
    // A term without any domain among the candidates contributes nothing; a flat one, share.
    double perA = ra < 0 ? 0 : hiA == (int) (ra >>> 32) ? 0 : share / (hiA - (int) (ra >>> 32));
    double perB = rb < 0 ? 0 : hiB == (int) (rb >>> 32) ? 0 : share / (hiB - (int) (rb >>> 32));
    double flatA = ra >= 0 && perA == 0 ? share : 0;
    double flatB = rb >= 0 && perB == 0 ? share : 0;
    for (int i = 0; i < n; i++) {
      int x = ca[i];
      int y = cb[i];
      double add = 0;
      if (x >= 0) {
        add += flatA + (hiA - x) * perA;
      }
      if (y >= 0) {
        add += flatB + (hiB - y) * perB;
      }
      totals[i] += add;
    }
  }

  /** The node's health score reported by the application: {@code 100 * healthScore}. */
  static final class Health extends NodeScorer {
    Health() {
      super(HEALTH);
    }

    @Override
    boolean active(RequestContext ctx) {
      return ctx.table.imperfectHealth > 0; // all at 1: the same score everywhere
    }

    @Override
    double score(RequestContext ctx, int s) {
      return 100 * ctx.table.healthScore[s];
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      double[] h = ctx.table.healthScore;
      double w = weight * 100;
      for (int i = 0; i < n; i++) {
        totals[i] += w * h[slots[i]];
      }
    }
  }

  /** Adapts a user {@link ScorePlugin}, clamping its answer to 0..100 (NaN counts as 0). */
  static final class Plugin extends NodeScorer {
    private final ScorePlugin plugin;

    Plugin(ScorePlugin plugin) {
      super(plugin.name());
      this.plugin = plugin;
    }

    @Override
    double score(RequestContext ctx, int s) {
      double v = plugin.score(ctx.request, ctx.cursor.at(s));
      return v >= 0 ? Math.min(100, v) : 0;
    }
  }
}
