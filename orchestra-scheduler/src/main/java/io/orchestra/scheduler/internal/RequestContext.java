package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;
import java.util.Arrays;

/**
 * Everything one scheduling attempt computes before the node loop: the compiled request, a
 * snapshot of the node table, and the counts of every inter-workload term. Also the scratch arrays
 * of the loop (candidates, totals), reused across calls so that steady-state scheduling does not
 * allocate per node.
 *
 * <p>Owned by one thread at a time (a thread-local in the engine).
 */
final class RequestContext {
  StateStore store;
  Symbols symbols;
  NodeTable table;
  CompiledRequest req;
  DeploymentRequest request;
  int n;
  boolean honorTaints;
  /** Nodes that passed every filter in the last {@code select}. */
  int feasible;
  /** The slot after the last one the last sampled search used (where the next one starts). */
  int searchEnd;
  /** Normalised score (0..100) of the node the last {@code select} chose. */
  double bestScore;
  int[] candidates = new int[64];
  /** Scratch: the candidates of one stretch of slots while a sampled search filters it. */
  int[] stretch = new int[64];
  double[] totals = new double[64];
  TermState[] terms = new TermState[0];
  /** Scratch: a score per zone value id (default spread). */
  double[] zoneScores = new double[64];
  /** Scratch: a score per replica count (default spread). */
  final double[] countScores = new double[32];
  final NodeCursor cursor = new NodeCursor();

  /**
   * Prepares this context for {@code request} against the current state of {@code store}.
   *
   * @param honorTaints whether nodes with taints the request does not tolerate are left out of
   *     the domains a hard spread counts
   */
  void prepare(StateStore store, DeploymentRequest request, boolean honorTaints) {
    this.store = store;
    this.honorTaints = honorTaints;
    this.symbols = store.symbols;
    this.request = request;
    this.req = CompiledRequest.of(store, request);
    this.table = store.table();
    this.n = table.size;
    if (candidates.length < n) {
      int cap = Math.max(n, candidates.length * 2);
      candidates = new int[cap];
      stretch = new int[cap];
      totals = new double[cap];
    }
    if (terms.length < req.termCount) {
      TermState[] grown = Arrays.copyOf(terms, req.termCount);
      for (int i = terms.length; i < grown.length; i++) {
        grown[i] = new TermState();
      }
      terms = grown;
    }
    cursor.table = table;
    int domains = symbols.valueCount();
    count(req.requiredAffinity, domains);
    count(req.requiredAntiAffinity, domains);
    count(req.preferredAffinity, domains);
    count(req.preferredAntiAffinity, domains);
    count(req.hardSpread, domains);
    count(req.softSpread, domains);
    count(req.defaultSpread, domains);
    // Only the hard spread filter needs the minimum over eligible domains; the spread scores
    // normalise over the feasible candidates instead, which costs no extra pass over all nodes.
    eligible(req.hardSpread);
  }

  TermState term(WorkloadTerm t) {
    return terms[t.index];
  }

  /** Whether the node passes the request's node selector (true without one). */
  boolean selectorMatches(int slot) {
    CompiledNodeTerm s = req.selector;
    return s == null || s.matches(table, symbols, slot);
  }

  /** Whether the node passes the required node affinity (true without one). */
  boolean nodeAffinityMatches(int slot) {
    CompiledNodeTerm[] terms = req.requiredNodeTerms;
    if (terms.length == 0) {
      return true;
    }
    for (CompiledNodeTerm t : terms) {
      if (t.matches(table, symbols, slot)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a NoSchedule/NoExecute taint of the node is not tolerated. */
  boolean taintsBlock(int slot) {
    if (!req.hasUntoleratedHard) {
      return false;
    }
    for (int id : table.taints[slot]) {
      if (NodeFilters.Taints.blocks(this, id)) {
        return true;
      }
    }
    return false;
  }

  private void count(WorkloadTerm[] list, int domains) {
    for (WorkloadTerm t : list) {
      TermState st = terms[t.index];
      int[] col = table.column(t.keyId);
      st.reset(col, domains);
      if (t.groups.length == 1 && (t.keyId == Symbols.NODE_KEY || t.keyId == Symbols.ZONE_KEY)) {
        // One group over node or zone: its maintained counts are the answer, no pass needed.
        Group g = t.groups[0];
        boolean node = t.keyId == Symbols.NODE_KEY;
        st.useDirect(node ? g.perNode : g.perZone, node, g.total);
        continue;
      }
      int total = 0;
      for (Group g : t.groups) {
        int[] perNode = g.perNode;
        int lim = Math.min(n, perNode.length);
        for (int i = 0; i < lim; i++) {
          int c = perNode[i];
          if (c != 0) {
            total += c;
            int d = col == null || i >= col.length ? -1 : col[i];
            if (d >= 0) {
              st.add(d, c);
            }
          }
        }
      }
      st.total = total;
    }
  }

  /**
   * Marks the domains of nodes a spread may use (schedulable, passing the node selector, the
   * required node affinity and, when taints are on, the taints; holding the key) and computes
   * the minimum and maximum count. A zone made only of nodes the request may not use therefore
   * does not hold the others back.
   */
  private void eligible(WorkloadTerm[] list) {
    if (list.length == 0) {
      return;
    }
    // Which domains are eligible depends on the nodes and the request only, not on placements:
    // it is computed in a pass over every node once per node change and cached in the compiled
    // request, so a steady stream of placements pays O(domains) here, not O(nodes).
    long nodesVersion = store.nodesVersion();
    CompiledRequest.EligibleDomains cached = req.eligibleDomains;
    if (cached == null || cached.nodesVersion != nodesVersion || cached.honorTaints != honorTaints) {
      NodeTable t = table;
      int[][] domains = new int[list.length][];
      for (int k = 0; k < list.length; k++) {
        TermState st = terms[list[k].index];
        for (int i = 0; i < n; i++) {
          if (t.schedulable[i]) {
            int d = st.domain(i);
            if (d >= 0 && selectorMatches(i) && nodeAffinityMatches(i) && (!honorTaints || !taintsBlock(i))) {
              st.markEligible(d);
            }
          }
        }
        domains[k] = st.eligibleDomains();
      }
      cached = new CompiledRequest.EligibleDomains(nodesVersion, honorTaints, domains);
      if (store.nodesUnchangedSince(nodesVersion)) {
        req.eligibleDomains = cached; // only what was read from one consistent set of nodes
      }
    }
    for (int k = 0; k < list.length; k++) {
      int[] d = cached.domains[k];
      terms[list[k].index].computeMinMax(d, d.length);
    }
  }
}
