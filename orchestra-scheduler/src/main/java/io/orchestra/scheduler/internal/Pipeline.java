package io.orchestra.scheduler.internal;

import io.orchestra.core.time.RandomSource;
import io.orchestra.scheduler.Algorithm;
import io.orchestra.scheduler.FilterPlugin;
import io.orchestra.scheduler.ScorePlugin;
import io.orchestra.scheduler.SchedulingConfig;
import io.orchestra.scheduler.Unschedulable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The filter/score pipeline, visible in one place: which filters run in which order, which scores
 * with which weights, and how the winner is picked.
 *
 * <p>Filters: node health, node selector, node affinity, taints, resources, workload affinity,
 * workload anti-affinity, topology spread, then user filters. Cheap, selective filters come first
 * because each one shrinks the candidate list the next one walks.
 *
 * <p>How many nodes a decision filters and scores: {@link SchedulingConfig#nodesToFind} feasible
 * nodes (Kubernetes' {@code percentageOfNodesToScore}). The search walks the slots from where the
 * previous decision stopped, wrapping around, in stretches: each stretch is collected (health and
 * capacity in one pass) and run through the other filters, and the search stops as soon as enough
 * nodes passed or every slot was examined. So every node is considered over time, and a request
 * that fits nowhere, or only on a few nodes, still examines every node.
 *
 * <p>Thread-safe: the pipeline holds configuration only (plus the round-robin cursor and the
 * search start, which concurrent decisions may race on harmlessly: any start is a valid one); all
 * per-request data is in the caller's {@link RequestContext}.
 */
public final class Pipeline {
  final NodeFilter[] filters;
  final NodeScorer[] scorers;
  final double[] weights;
  final Algorithm algorithm;
  private final NodeFilter resources;
  private final boolean taints;
  private final Map<String, Double> reportedWeights;
  private final RandomSource random;
  private final SchedulingConfig config;
  private final AtomicInteger cursor = new AtomicInteger();
  /** The slot the next sampled search starts at. */
  private final AtomicInteger searchStart = new AtomicInteger();

  /** Slots a sampled search examines at least per stretch, so a selective filter costs few rounds. */
  static final int MIN_STRETCH = 128;

  private Pipeline(
      NodeFilter[] filters,
      NodeScorer[] scorers,
      double[] weights,
      Map<String, Double> reportedWeights,
      SchedulingConfig config,
      RandomSource random) {
    this.config = config;
    this.filters = filters;
    this.scorers = scorers;
    this.weights = weights;
    this.reportedWeights = reportedWeights;
    NodeFilter r = null;
    for (NodeFilter f : filters) {
      if (f instanceof ResourcesFilter) {
        r = f;
      }
    }
    this.resources = r;
    boolean t = false;
    for (NodeFilter f : filters) {
      t |= f instanceof NodeFilters.Taints;
    }
    this.taints = t;
    this.algorithm = config.algorithm();
    this.random = random;
  }

  /**
   * Builds the pipeline of {@code config} with the user plugins.
   *
   * @param scorePlugins user scores with their default weights (overridden by {@code
   *     config.scoreWeights()} under the plugin's name)
   * @throws IllegalArgumentException for a score weight naming no score, or duplicate plugin names
   */
  public static Pipeline of(
      SchedulingConfig config,
      List<FilterPlugin> filterPlugins,
      Map<ScorePlugin, Double> scorePlugins,
      RandomSource random) {
    List<NodeFilter> filters = new ArrayList<>();
    filters.add(new NodeFilters.Health());
    filters.add(new NodeFilters.Selector());
    if (config.affinityRules()) {
      filters.add(new NodeFilters.NodeAffinity());
    }
    if (config.taints()) {
      filters.add(new NodeFilters.Taints());
    }
    filters.add(new ResourcesFilter());
    if (config.affinityRules()) {
      filters.add(new WorkloadFilters.Affinity());
    }
    if (config.antiAffinityRules()) {
      filters.add(new WorkloadFilters.AntiAffinity());
    }
    filters.add(new WorkloadFilters.Spread());
    List<String> names = new ArrayList<>();
    filters.forEach(f -> names.add(f.name));
    for (FilterPlugin p : filterPlugins) {
      if (names.contains(p.name())) {
        throw new IllegalArgumentException("filter plugin name " + p.name() + " is already used");
      }
      names.add(p.name());
      filters.add(new PluginFilter(p));
    }

    double[] rw = config.resourceWeights().normalized();
    Map<String, NodeScorer> available = new LinkedHashMap<>();
    for (String name : new String[] {ResourceScorers.TARGET, ResourceScorers.LEAST, ResourceScorers.MOST, ResourceScorers.BALANCED}) {
      available.put(name, null); // computed together, see below
    }
    available.put(Scorers.NODE_AFFINITY, new Scorers.NodeAffinity());
    available.put(Scorers.WORKLOAD_AFFINITY, new Scorers.WorkloadAffinity());
    if (config.taints()) {
      available.put(Scorers.TAINTS, new Scorers.Taints());
    }
    available.put(Scorers.SPREAD, new Scorers.Spread());
    available.put(Scorers.DEFAULT_SPREAD, new Scorers.DefaultSpread());
    available.put(Scorers.HEALTH, new Scorers.Health());
    Map<String, Double> weights = config.effectiveScoreWeights();
    for (Map.Entry<ScorePlugin, Double> e : scorePlugins.entrySet()) {
      String name = e.getKey().name();
      if (available.containsKey(name) || SchedulingConfig.BUILT_IN_SCORES.contains(name)) {
        throw new IllegalArgumentException("score plugin name " + name + " is already used");
      }
      available.put(name, new Scorers.Plugin(e.getKey()));
      weights.putIfAbsent(name, e.getValue());
    }
    for (String name : config.scoreWeights().keySet()) {
      if (!available.containsKey(name) && !SchedulingConfig.BUILT_IN_SCORES.contains(name)) {
        throw new IllegalArgumentException(
            "scheduling.scoreWeights names an unknown score \"" + name + "\"; known: " + available.keySet());
      }
    }
    List<NodeScorer> scorers = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    Map<String, Double> reported = new LinkedHashMap<>();
    if (config.algorithm() != Algorithm.ROUND_ROBIN) {
      double[] resource = {
        weights.getOrDefault(ResourceScorers.TARGET, 0.0),
        weights.getOrDefault(ResourceScorers.LEAST, 0.0),
        weights.getOrDefault(ResourceScorers.MOST, 0.0),
        weights.getOrDefault(ResourceScorers.BALANCED, 0.0)
      };
      if (resource[0] + resource[1] + resource[2] + resource[3] > 0) {
        scorers.add(new ResourceScorers(rw, config.targetUtilization(), resource));
        ws.add(1.0); // the combined scorer applies its four weights itself
      }
      for (Map.Entry<String, NodeScorer> e : available.entrySet()) {
        double w = weights.getOrDefault(e.getKey(), 0.0);
        if (w > 0) {
          reported.put(e.getKey(), w);
          if (e.getValue() != null) {
            scorers.add(e.getValue());
            ws.add(w);
          }
        }
      }
    }
    double[] w = new double[ws.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = ws.get(i);
    }
    return new Pipeline(
        filters.toArray(new NodeFilter[0]), scorers.toArray(new NodeScorer[0]), w, reported, config, random);
  }

  /**
   * The same pipeline with its own round-robin cursor and {@code random}, for simulations. Its
   * sampled searches start at slot 0, not where the real decisions got to: a simulation's answer
   * depends on the state and the changes only.
   */
  public Pipeline forSimulation(RandomSource random) {
    Pipeline p = new Pipeline(filters, scorers, weights, reportedWeights, config, random);
    p.cursor.set(cursor.get());
    return p;
  }

  /** Whether taints are enforced (they then also limit which domains a spread counts). */
  boolean honorsTaints() {
    return taints;
  }

  /** Filter names in pipeline order. */
  public List<String> filterNames() {
    List<String> out = new ArrayList<>();
    for (NodeFilter f : filters) {
      out.add(f.name);
    }
    return out;
  }

  /** Active score names with their weights. */
  public Map<String, Double> scoreWeights() {
    return new LinkedHashMap<>(reportedWeights);
  }

  /**
   * Runs filters and scores over the prepared context; returns the chosen slot, or -1 when no
   * node passes. Sets {@code ctx.bestScore}.
   */
  int select(RequestContext ctx) {
    if (algorithm == Algorithm.ROUND_ROBIN) {
      return roundRobin(ctx);
    }
    int nodes = ctx.store.nodeCount();
    int want = config.nodesToFind(nodes);
    int m;
    if (want >= nodes) {
      m = filterAll(ctx);
    } else {
      int start = searchStart.get();
      m = filterFrom(ctx, start < ctx.n ? start : 0, want);
      searchStart.set(ctx.searchEnd);
    }
    int[] c = ctx.candidates;
    if (m == 0) {
      return -1;
    }
    double[] totals = ctx.totals;
    java.util.Arrays.fill(totals, 0, m, 0.0);
    double activeWeight = 0;
    NodeScorer[] ss = scorers;
    for (int k = 0; k < ss.length; k++) {
      if (ss[k].active(ctx)) {
        ss[k].addScores(ctx, c, m, weights[k], totals);
        activeWeight += ss[k].activeWeight(ctx, weights[k]);
      }
    }
    if (activeWeight == 0) {
      ctx.bestScore = 100;
      return c[random.nextInt(m)]; // nothing to prefer: every feasible node is as good
    }
    // Ties go to the tied node with the smallest salted hash: one random draw per decision gives
    // every tied node the same chance, without a random draw per tie.
    long salt = random.nextLong();
    int best = 0;
    double bestTotal = totals[0];
    long bestKey = 0;
    boolean keyed = false;
    for (int i = 1; i < m; i++) {
      double t = totals[i];
      if (t > bestTotal) {
        bestTotal = t;
        best = i;
        keyed = false;
      } else if (t == bestTotal) {
        if (!keyed) {
          bestKey = mix(c[best] ^ salt);
          keyed = true;
        }
        long key = mix(c[i] ^ salt);
        if (key < bestKey) {
          best = i;
          bestKey = key;
        }
      }
    }
    ctx.bestScore = activeWeight == 0 ? 100 : bestTotal / activeWeight;
    return c[best];
  }

  /** Runs every active filter; the passing slots are the first {@code ctx.feasible} candidates. */
  int filterAll(RequestContext ctx) {
    int[] c = ctx.candidates;
    // Health and resources, the two filters every request has, in one pass over all slots; the
    // others then walk the shorter candidate list. (Filters are a conjunction: order only
    // changes the cost.)
    int m = ResourcesFilter.collectHealthyFitting(ctx, c);
    NodeFilter[] fs = filters;
    for (int f = 1; f < fs.length && m > 0; f++) {
      NodeFilter filter = fs[f];
      if (filter != resources && filter.active(ctx)) {
        m = filter.filter(ctx, c, m);
      }
    }
    ctx.feasible = m;
    return m;
  }

  /**
   * Runs every active filter over the slots from {@code start} on, wrapping around, until {@code
   * want} slots passed or every slot was examined. The first {@code ctx.feasible} (at most {@code
   * want}) candidates are the passing slots in search order, and {@code ctx.searchEnd} is the slot
   * after the last one the search used: a search that found enough ends just past its last
   * candidate, so the next one starts with the nodes this one did not need.
   */
  int filterFrom(RequestContext ctx, int start, int want) {
    int n = ctx.n;
    int[] out = ctx.candidates;
    int[] stretch = ctx.stretch;
    NodeFilter[] fs = filters;
    int found = 0;
    int examined = 0;
    int from = start;
    while (found < want && examined < n) {
      int to = Math.min(n, from + Math.min(n - examined, Math.max(want - found, MIN_STRETCH)));
      int k = ResourcesFilter.collectHealthyFitting(ctx, from, to, stretch);
      for (int f = 1; f < fs.length && k > 0; f++) {
        NodeFilter filter = fs[f];
        if (filter != resources && filter.active(ctx)) {
          k = filter.filter(ctx, stretch, k);
        }
      }
      System.arraycopy(stretch, 0, out, found, k);
      found += k;
      examined += to - from;
      from = to == n ? 0 : to;
    }
    if (found > want) {
      found = want;
      from = out[want - 1] + 1 == n ? 0 : out[want - 1] + 1;
    }
    ctx.searchEnd = from;
    ctx.feasible = found;
    return found;
  }

  /** SplitMix64's finaliser: a bijective, well-mixed hash of a long. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The first feasible slot at or after the cursor, wrapping around: a search for one node. */
  private int roundRobin(RequestContext ctx) {
    int start = cursor.get();
    if (filterFrom(ctx, start < ctx.n ? start : 0, 1) == 0) {
      return -1;
    }
    int chosen = ctx.candidates[0];
    cursor.set(chosen + 1);
    ctx.bestScore = Double.NaN;
    return chosen;
  }

  /** Whether {@code slot} passes every active filter in the prepared context. */
  boolean feasible(RequestContext ctx, int slot) {
    if (slot >= ctx.n || ctx.table.info[slot] == null) {
      return false;
    }
    for (NodeFilter f : filters) {
      if (f.active(ctx) && !f.test(ctx, slot)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Explains why no node passes, from the prepared context. Slow path. Reads the live state: the
   * caller holds the lock or validates the result with the store's version (see {@link Placer}).
   */
  Unschedulable explain(RequestContext ctx) {
    return Explainer.explain(ctx, filters);
  }
}
