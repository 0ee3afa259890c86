package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.LabelSelector;
import io.orchestra.scheduler.NodeSelectorTerm;
import io.orchestra.scheduler.PreferredNodeTerm;
import io.orchestra.scheduler.PreferredWorkloadTerm;
import io.orchestra.scheduler.Taint;
import io.orchestra.scheduler.TaintEffect;
import io.orchestra.scheduler.Toleration;
import io.orchestra.scheduler.Topology;
import io.orchestra.scheduler.TopologySpreadConstraint;
import io.orchestra.scheduler.WorkloadAffinityTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeploymentRequest} translated into ids of one {@link StateStore}: selector keys and
 * values, tolerated taints, and the groups each inter-workload term counts. Compiling happens
 * once per request object and is redone only when the store learns new symbols or groups, so the
 * hot path reuses it without allocating. Immutable, apart from the cache of {@link
 * #eligibleDomains}.
 */
final class CompiledRequest {
  /**
   * The domains a hard spread may use, per hard spread term (see {@code RequestContext}), as
   * computed for one version of the store's nodes. Immutable.
   */
  static final class EligibleDomains {
    final long nodesVersion;
    final boolean honorTaints;
    final int[][] domains;

    EligibleDomains(long nodesVersion, boolean honorTaints, int[][] domains) {
      this.nodesVersion = nodesVersion;
      this.honorTaints = honorTaints;
      this.domains = domains;
    }
  }

  /** The last eligible domains computed for this request; null before the first. */
  volatile EligibleDomains eligibleDomains;

  final StateStore store;
  final int symbolsVersion;
  final int groupsVersion;
  final DeploymentRequest request;
  final double cpu;
  final double memory;
  final double storage;
  final double network;

  /** Null when the request has no node selector. */
  final CompiledNodeTerm selector;
  /** Alternatives; empty when there is no required node affinity. */
  final CompiledNodeTerm[] requiredNodeTerms;
  final CompiledNodeTerm[] preferredNodeTerms;
  final int[] preferredNodeWeights;
  final int preferredNodeWeightSum;

  /** Per taint id: whether some toleration matches it. */
  final boolean[] tolerated;
  /** Whether the store knows a hard / soft taint this request does not tolerate. */
  final boolean hasUntoleratedHard;
  final boolean hasUntoleratedSoft;

  final WorkloadTerm[] requiredAffinity;
  /** The request's own required anti-affinity terms followed by other groups' terms against it. */
  final WorkloadTerm[] requiredAntiAffinity;
  final WorkloadTerm[] preferredAffinity;
  final WorkloadTerm[] preferredAntiAffinity;
  final int preferredWorkloadWeightSum;
  final WorkloadTerm[] hardSpread;
  final WorkloadTerm[] softSpread;
  /** Own replicas per node and per zone, used when the request states no spread at all. */
  final WorkloadTerm[] defaultSpread;
  final int termCount;
  /**
   * The group the request's placements are counted in, when it existed at compile time (valid
   * while the store's groups version is this request's): commits need not look it up.
   */
  final Group ownGroup;

  private CompiledRequest(StateStore store, DeploymentRequest r) {
    this.store = store;
    Symbols symbols = store.symbols;
    // Read the versions first: a concurrent change after this point makes the cache entry stale
    // rather than wrong.
    this.symbolsVersion = symbols.version();
    this.groupsVersion = store.groupsVersion();
    this.request = r;
    this.cpu = r.resources().cpu();
    this.memory = r.resources().memory();
    this.storage = r.resources().storage();
    this.network = r.resources().network();

    this.selector = r.nodeSelector().isEmpty() ? null : CompiledNodeTerm.selector(r.nodeSelector(), symbols);
    List<NodeSelectorTerm> req = r.requiredNodeAffinity();
    this.requiredNodeTerms = new CompiledNodeTerm[req.size()];
    for (int i = 0; i < req.size(); i++) {
      requiredNodeTerms[i] = CompiledNodeTerm.compile(req.get(i), symbols);
    }
    List<PreferredNodeTerm> pref = r.preferredNodeAffinity();
    this.preferredNodeTerms = new CompiledNodeTerm[pref.size()];
    this.preferredNodeWeights = new int[pref.size()];
    int sum = 0;
    for (int i = 0; i < pref.size(); i++) {
      preferredNodeTerms[i] = CompiledNodeTerm.compile(pref.get(i).term(), symbols);
      preferredNodeWeights[i] = pref.get(i).weight();
      sum += pref.get(i).weight();
    }
    this.preferredNodeWeightSum = sum;

    Taint[] taints = symbols.taints();
    this.tolerated = new boolean[taints.length];
    boolean hard = false;
    boolean soft = false;
    for (int t = 0; t < taints.length; t++) {
      for (Toleration tol : r.tolerations()) {
        if (tol.tolerates(taints[t])) {
          tolerated[t] = true;
          break;
        }
      }
      if (!tolerated[t]) {
        if (taints[t].effect() == TaintEffect.PREFER_NO_SCHEDULE) {
          soft = true;
        } else {
          hard = true;
        }
      }
    }
    this.hasUntoleratedHard = hard;
    this.hasUntoleratedSoft = soft;

    Group[] groups = store.groups();
    int[] next = {0};
    this.requiredAffinity = terms(r.requiredAffinity(), groups, symbols, next, r, "affinity ");
    List<WorkloadTerm> anti = new ArrayList<>();
    for (WorkloadAffinityTerm t : r.requiredAntiAffinity()) {
      anti.add(term(t, 0, groups, symbols, next, r, "anti-affinity "));
    }
    Group.Key own = new Group.Key(r.workload(), r.labels(), r.requiredAntiAffinity());
    Group ownGroup = null;
    for (Group g : groups) {
      if (g.key.equals(own)) {
        ownGroup = g;
        continue; // the request's own terms already cover its own replicas
      }
      for (WorkloadAffinityTerm t : g.antiAffinity()) {
        if (t.selector().matches(r.labels())) {
          anti.add(
              new WorkloadTerm(
                  next[0]++,
                  symbols.keyId(t.topologyKey()),
                  t.topologyKey(),
                  new Group[] {g},
                  false,
                  0,
                  0,
                  "anti-affinity of " + g.workload() + " (" + t + ")"));
        }
      }
    }
    this.ownGroup = ownGroup;
    this.requiredAntiAffinity = anti.toArray(new WorkloadTerm[0]);
    this.preferredAffinity = preferred(r.preferredAffinity(), groups, symbols, next, r, "preferred affinity ");
    this.preferredAntiAffinity =
        preferred(r.preferredAntiAffinity(), groups, symbols, next, r, "preferred anti-affinity ");
    int w = 0;
    for (PreferredWorkloadTerm p : r.preferredAffinity()) {
      w += p.weight();
    }
    for (PreferredWorkloadTerm p : r.preferredAntiAffinity()) {
      w += p.weight();
    }
    this.preferredWorkloadWeightSum = w;

    List<WorkloadTerm> hardSpread = new ArrayList<>();
    List<WorkloadTerm> softSpread = new ArrayList<>();
    for (TopologySpreadConstraint c : r.spreadConstraints()) {
      WorkloadTerm t = spread(c.selector(), c.topologyKey(), c.maxSkew(), groups, symbols, next, r, c.toString());
      (c.whenUnsatisfiable() == TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE
              ? hardSpread
              : softSpread)
          .add(t);
    }
    this.hardSpread = hardSpread.toArray(new WorkloadTerm[0]);
    this.softSpread = softSpread.toArray(new WorkloadTerm[0]);
    if (r.spreadConstraints().isEmpty()) {
      this.defaultSpread =
          new WorkloadTerm[] {
            spread(null, Topology.NODE, 1, groups, symbols, next, r, "own replicas per node"),
            spread(null, Topology.ZONE, 1, groups, symbols, next, r, "own replicas per zone")
          };
    } else {
      this.defaultSpread = new WorkloadTerm[0];
    }
    this.termCount = next[0];
  }

  /** The compiled form of {@code request} for {@code store}, from the request's cache when current. */
  static CompiledRequest of(StateStore store, DeploymentRequest request) {
    Object cached = RequestCache.get(request);
    if (cached instanceof CompiledRequest) {
      CompiledRequest c = (CompiledRequest) cached;
      if (c.store == store
          && c.symbolsVersion == store.symbols.version()
          && c.groupsVersion == store.groupsVersion()) {
        return c;
      }
    }
    CompiledRequest c = new CompiledRequest(store, request);
    RequestCache.set(request, c);
    return c;
  }

  boolean tolerates(int taintId) {
    return taintId < tolerated.length && tolerated[taintId];
  }

  private static WorkloadTerm[] terms(
      List<WorkloadAffinityTerm> list, Group[] groups, Symbols symbols, int[] next, DeploymentRequest r, String prefix) {
    WorkloadTerm[] out = new WorkloadTerm[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = term(list.get(i), 0, groups, symbols, next, r, prefix);
    }
    return out;
  }

  private static WorkloadTerm[] preferred(
      List<PreferredWorkloadTerm> list, Group[] groups, Symbols symbols, int[] next, DeploymentRequest r, String prefix) {
    WorkloadTerm[] out = new WorkloadTerm[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = term(list.get(i).term(), list.get(i).weight(), groups, symbols, next, r, prefix);
    }
    return out;
  }

  private static WorkloadTerm term(
      WorkloadAffinityTerm t, int weight, Group[] groups, Symbols symbols, int[] next, DeploymentRequest r, String prefix) {
    return new WorkloadTerm(
        next[0]++,
        symbols.keyId(t.topologyKey()),
        t.topologyKey(),
        matching(t.selector(), groups, null),
        t.selector().matches(r.labels()),
        weight,
        0,
        prefix + t);
  }

  private static WorkloadTerm spread(
      LabelSelector selector,
      String key,
      int maxSkew,
      Group[] groups,
      Symbols symbols,
      int[] next,
      DeploymentRequest r,
      String description) {
    Group[] matched = matching(selector, groups, selector == null ? r.workload() : null);
    boolean self = selector == null || selector.matches(r.labels());
    return new WorkloadTerm(next[0]++, symbols.keyId(key), key, matched, self, 0, maxSkew, description);
  }

  private static Group[] matching(LabelSelector selector, Group[] groups, String workload) {
    List<Group> out = new ArrayList<>();
    for (Group g : groups) {
      if (workload != null ? g.workload().equals(workload) : selector.matches(g.labels())) {
        out.add(g);
      }
    }
    return out.toArray(new Group[0]);
  }
}
