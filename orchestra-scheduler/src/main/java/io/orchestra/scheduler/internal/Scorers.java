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
        if (!t.effect().isHard() && !ctx.req.tolerates(id) && !NodeFilters.Taints.tolerated(ctx.request, t)) {
          count++;
        }
      }
      return 100.0 / (1 + count);
    }
  }

  /**
   * ScheduleAnyway spread constraints as a preference: for each, the candidate whose domain holds
   * the fewest selected workloads scores 100 and the one with the most scores 0, linearly between
   * (nodes without the key score 0); constraints are averaged.
   */
  static final class Spread extends NodeScorer {
    Spread() {
      super(SPREAD);
    }

    private WorkloadTerm[] terms(RequestContext ctx) {
      return ctx.req.softSpread;
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

  /**
   * Spreads a workload's own replicas when the request states no spread: per node {@code 100 /
   * (1 + replicas on the node)}, and per zone 100 for the zone with the fewest replicas down to 0
   * for the one with the most (over the cluster's zones), averaged. One pass over the candidates
   * with two small lookup tables.
   */
  static final class DefaultSpread extends NodeScorer {
    DefaultSpread() {
      super(DEFAULT_SPREAD);
    }

    @Override
    boolean active(RequestContext ctx) {
      WorkloadTerm[] terms = ctx.req.defaultSpread;
      return terms.length == 2 && ctx.term(terms[0]).total > 0; // nothing placed: all equal
    }

    @Override
    double score(RequestContext ctx, int s) {
      throw new UnsupportedOperationException("scored in addScores");
    }

    @Override
    void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
      TermState node = ctx.term(ctx.req.defaultSpread[0]);
      TermState zone = ctx.term(ctx.req.defaultSpread[1]);
      int[] zoneColumn = zone.column;
      double share = weight * 100 / (zoneColumn != null ? 2 : 1);
      double[] byCount = ctx.countScores;
      for (int c = 0; c < byCount.length; c++) {
        byCount[c] = share / (1 + c);
      }
      double[] byZone = null;
      if (zoneColumn != null) {
        int[] ids = ctx.store.zoneIds();
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        int maxId = -1;
        for (int z : ids) {
          int c = zone.count(z);
          lo = Math.min(lo, c);
          hi = Math.max(hi, c);
          maxId = Math.max(maxId, z);
        }
        if (ctx.zoneScores.length <= maxId) {
          ctx.zoneScores = new double[Math.max(maxId + 1, ctx.zoneScores.length * 2)];
        }
        byZone = ctx.zoneScores;
        for (int z : ids) {
          byZone[z] = hi == lo ? share : share * (hi - zone.count(z)) / (hi - lo);
        }
      }
      int[] perNode = node.directBySlot();
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        int c = perNode != null ? (s < perNode.length ? perNode[s] : 0) : node.countAt(s);
        double add = c < byCount.length ? byCount[c] : share / (1 + c);
        if (byZone != null) {
          int d = s < zoneColumn.length ? zoneColumn[s] : -1;
          if (d >= 0 && d < byZone.length) {
            add += byZone[d];
          }
        }
        totals[i] += add;
      }
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

  /**
   * Adapts a user {@link ScorePlugin}, clamping its answer to 0..100 (NaN counts as 0). A node
   * removed since it was filtered (see {@link NodeCursor}) scores 0 without reaching the plugin;
   * the commit's re-validation rejects it anyway.
   */
  static final class Plugin extends NodeScorer {
    private final ScorePlugin plugin;

    Plugin(ScorePlugin plugin) {
      super(plugin.name());
      this.plugin = plugin;
    }

    @Override
    double score(RequestContext ctx, int s) {
      NodeCursor node = ctx.cursor.at(s);
      if (node.info == null) {
        return 0;
      }
      double v = plugin.score(ctx.request, node);
      return v >= 0 ? Math.min(100, v) : 0;
    }
  }
}
