package io.orchestra.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A deliberately naive statement of every required constraint, straight from the public model
 * types and a snapshot of the cluster: no interning, no counts, no scratch arrays. Property tests
 * compare the scheduler against it.
 */
final class ReferenceModel {
  private final List<NodeStatus> nodes;
  private final List<Placement> placements;
  private final Map<String, NodeInfo> byId = new HashMap<>();
  private final SchedulingConfig config;

  ReferenceModel(ClusterState cluster, SchedulingConfig config) {
    this.nodes = cluster.nodes();
    this.placements = cluster.placements();
    this.config = config;
    nodes.forEach(n -> byId.put(n.id(), n.info()));
  }

  /** The ids of the nodes {@code r} may go to. */
  Set<String> feasible(DeploymentRequest r) {
    Set<String> out = new HashSet<>();
    for (NodeStatus n : nodes) {
      if (fits(r, n)) {
        out.add(n.id());
      }
    }
    return out;
  }

  boolean fits(DeploymentRequest r, NodeStatus n) {
    NodeInfo node = n.info();
    if (!node.healthy() || node.cordoned()) {
      return false;
    }
    if (!selectorAndAffinity(r, node)) {
      return false;
    }
    if (config.taints()) {
      for (Taint t : node.taints()) {
        if (t.effect() != TaintEffect.PREFER_NO_SCHEDULE
            && r.tolerations().stream().noneMatch(tol -> tol.tolerates(t))) {
          return false;
        }
      }
    }
    for (ResourceKind k : ResourceKind.values()) {
      double req = r.resources().get(k);
      if (req > 0 && n.used().get(k) + req > node.allocatable().get(k) * (1 + 1e-9)) {
        return false;
      }
    }
    if (config.affinityRules()) {
      for (WorkloadAffinityTerm t : r.requiredAffinity()) {
        String domain = node.label(t.topologyKey());
        if (domain == null) {
          return false;
        }
        boolean anyMatch = placements.stream().anyMatch(p -> t.selector().matches(p.labels()));
        boolean here =
            placements.stream()
                .anyMatch(p -> t.selector().matches(p.labels()) && domain.equals(domainOf(p, t.topologyKey())));
        if (!here && !(!anyMatch && t.selector().matches(r.labels()))) {
          return false;
        }
      }
    }
    if (config.antiAffinityRules()) {
      for (WorkloadAffinityTerm t : r.requiredAntiAffinity()) {
        String domain = node.label(t.topologyKey());
        if (domain != null
            && placements.stream()
                .anyMatch(p -> t.selector().matches(p.labels()) && domain.equals(domainOf(p, t.topologyKey())))) {
          return false;
        }
      }
      for (Placement q : placements) {
        for (WorkloadAffinityTerm t : q.request().requiredAntiAffinity()) {
          String domain = node.label(t.topologyKey());
          if (t.selector().matches(r.labels()) && domain != null && domain.equals(domainOf(q, t.topologyKey()))) {
            return false;
          }
        }
      }
    }
    for (TopologySpreadConstraint c : r.spreadConstraints()) {
      if (c.whenUnsatisfiable() != TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE) {
        continue;
      }
      String domain = node.label(c.topologyKey());
      if (domain == null) {
        return false;
      }
      Map<String, Integer> counts = new HashMap<>();
      for (NodeStatus e : nodes) {
        NodeInfo en = e.info();
        String d = en.label(c.topologyKey());
        if (d != null && en.healthy() && !en.cordoned() && selectorAndAffinity(r, en) && tolerated(r, en)) {
          counts.put(d, 0);
        }
      }
      for (Placement p : placements) {
        boolean selected = c.selector() == null ? p.workload().equals(r.workload()) : c.selector().matches(p.labels());
        String d = domainOf(p, c.topologyKey());
        if (selected && counts.containsKey(d)) {
          counts.merge(d, 1, Integer::sum);
        }
      }
      int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      boolean self = c.selector() == null || c.selector().matches(r.labels());
      int here = 0;
      for (Placement p : placements) {
        boolean selected = c.selector() == null ? p.workload().equals(r.workload()) : c.selector().matches(p.labels());
        if (selected && domain.equals(domainOf(p, c.topologyKey()))) {
          here++;
        }
      }
      if (here + (self ? 1 : 0) - min > c.maxSkew()) {
        return false;
      }
    }
    return true;
  }

  private boolean tolerated(DeploymentRequest r, NodeInfo node) {
    if (!config.taints()) {
      return true;
    }
    for (Taint t : node.taints()) {
      if (t.effect() != TaintEffect.PREFER_NO_SCHEDULE
          && r.tolerations().stream().noneMatch(tol -> tol.tolerates(t))) {
        return false;
      }
    }
    return true;
  }

  private boolean selectorAndAffinity(DeploymentRequest r, NodeInfo node) {
    for (Map.Entry<String, String> e : r.nodeSelector().entrySet()) {
      if (!e.getValue().equals(node.label(e.getKey()))) {
        return false;
      }
    }
    if (config.affinityRules() && !r.requiredNodeAffinity().isEmpty()) {
      Map<String, String> labels = node.selectorLabels();
      boolean any = false;
      for (NodeSelectorTerm term : r.requiredNodeAffinity()) {
        if (term.requirements().stream().allMatch(q -> q.matches(labels))) {
          any = true;
        }
      }
      return any;
    }
    return true;
  }

  private String domainOf(Placement p, String key) {
    NodeInfo n = byId.get(p.nodeId());
    return n == null ? null : n.label(key);
  }

  /** Every node whose usage exceeds its allocatable. */
  static List<String> overCommitted(ClusterState cluster) {
    List<String> out = new ArrayList<>();
    for (NodeStatus n : cluster.nodes()) {
      for (ResourceKind k : ResourceKind.values()) {
        if (n.used().get(k) > n.info().allocatable().get(k) * (1 + 1e-9) + 1e-12) {
          out.add(n.id() + " " + k + " " + n.used().get(k) + " > " + n.info().allocatable().get(k));
        }
      }
    }
    return out;
  }

  static boolean same(Object a, Object b) {
    return Objects.equals(a, b);
  }
}
