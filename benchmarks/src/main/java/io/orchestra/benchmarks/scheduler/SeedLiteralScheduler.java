package io.orchestra.benchmarks.scheduler;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Taint;
import io.orchestra.scheduler.TaintEffect;
import io.orchestra.scheduler.Toleration;
import io.orchestra.scheduler.TopologySpreadConstraint;
import io.orchestra.scheduler.WorkloadAffinityTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code scheduleContainer} transcribed literally, as the baseline: build a list of
 * candidate nodes, map each to a scored object with the seed's factors (resource score times the
 * cpu weight, performance 0.3, load 0.2, affinity 0.2, health 0.1), sort the list, re-check the
 * first, reserve. The seed leaves inter-workload checks unspecified; they are done the obvious
 * way here (scan the pods of the nodes of the same zone; count pods per zone for spread).
 *
 * <p>Not thread-safe; benchmark use only.
 */
final class SeedLiteralScheduler {
  static final class Node {
    final NodeInfo info;
    double usedCpu;
    double usedMemory;
    double usedStorage;
    final List<Pod> pods = new ArrayList<>();

    Node(NodeInfo info) {
      this.info = info;
    }
  }

  record Pod(DeploymentRequest request, Node node) {}

  private record Scored(Node node, double score) {}

  final List<Node> nodes = new ArrayList<>();
  private final Map<String, List<Node>> byZone = new HashMap<>();

  SeedLiteralScheduler(List<NodeInfo> infos) {
    for (NodeInfo i : infos) {
      Node n = new Node(i);
      nodes.add(n);
      byZone.computeIfAbsent(i.zone(), z -> new ArrayList<>()).add(n);
    }
  }

  /** Places one pod; null when nothing fits. */
  Pod schedule(DeploymentRequest r) {
    List<Node> candidates = filterNodes(r);
    if (candidates.isEmpty()) {
      return null;
    }
    List<Scored> scored = new ArrayList<>(candidates.size());
    for (Node n : candidates) {
      scored.add(new Scored(n, calculateNodeScore(n, r)));
    }
    scored.sort((a, b) -> Double.compare(b.score, a.score));
    for (Scored s : scored) {
      if (hasCapacity(s.node, r)) {
        Pod p = new Pod(r, s.node);
        s.node.usedCpu += r.resources().cpu();
        s.node.usedMemory += r.resources().memory();
        s.node.usedStorage += r.resources().storage();
        s.node.pods.add(p);
        return p;
      }
    }
    throw new IllegalStateException("No suitable node found for scheduling");
  }

  void remove(Pod p) {
    Node n = p.node();
    n.usedCpu -= p.request().resources().cpu();
    n.usedMemory -= p.request().resources().memory();
    n.usedStorage -= p.request().resources().storage();
    n.pods.remove(p);
  }

  private List<Node> filterNodes(DeploymentRequest r) {
    Map<String, Integer> zoneCounts = r.spreadConstraints().isEmpty() ? null : zoneCounts(r);
    int min = zoneCounts == null ? 0 : zoneCounts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) {
      if (!hasCapacity(n, r)) {
        continue;
      }
      if (!matchesNodeSelector(n, r.nodeSelector())) {
        continue;
      }
      if (!canTolerateTaints(n.info.taints(), r.tolerations())) {
        continue;
      }
      if (!satisfiesAntiAffinity(n, r)) {
        continue;
      }
      if (zoneCounts != null) {
        int maxSkew = 1;
        for (TopologySpreadConstraint c : r.spreadConstraints()) {
          if (c.whenUnsatisfiable() == TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE) {
            maxSkew = c.maxSkew();
          }
        }
        if (zoneCounts.getOrDefault(n.info.zone(), 0) + 1 - min > maxSkew) {
          continue;
        }
      }
      out.add(n);
    }
    return out;
  }

  private Map<String, Integer> zoneCounts(DeploymentRequest r) {
    Map<String, Integer> counts = new HashMap<>();
    for (Node n : nodes) {
      counts.putIfAbsent(n.info.zone(), 0);
      for (Pod p : n.pods) {
        if (p.request().workload().equals(r.workload())) {
          counts.merge(n.info.zone(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static boolean hasCapacity(Node n, DeploymentRequest r) {
    return n.usedCpu + r.resources().cpu() <= n.info.allocatable().cpu()
        && n.usedMemory + r.resources().memory() <= n.info.allocatable().memory()
        && n.usedStorage + r.resources().storage() <= n.info.allocatable().storage();
  }

  private static boolean matchesNodeSelector(Node n, Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(n.info.label(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean canTolerateTaints(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint t : taints) {
      if (t.effect() == TaintEffect.PREFER_NO_SCHEDULE) {
        continue;
      }
      boolean ok = false;
      for (Toleration tol : tolerations) {
        ok |= tol.tolerates(t);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private boolean satisfiesAntiAffinity(Node n, DeploymentRequest r) {
    for (WorkloadAffinityTerm term : r.requiredAntiAffinity()) {
      for (Node other : byZone.get(n.info.zone())) {
        for (Pod p : other.pods) {
          if (term.selector().matches(p.request().labels())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static double calculateNodeScore(Node n, DeploymentRequest r) {
    double score = 0;
    score += calculateResourceScore(n, r) * 0.4; // the seed multiplies by resourceWeights.cpu
    score += 1.0 * 0.3; // performance score: the seed gives no input for it
    score += (1 - n.usedCpu / n.info.allocatable().cpu()) * 0.2; // load score
    score += 0 * 0.2; // affinity preference
    score += n.info.healthScore() * 0.1;
    return Math.min(1, Math.max(0, score));
  }

  private static double calculateResourceScore(Node n, DeploymentRequest r) {
    double cpu = (n.usedCpu + r.resources().cpu()) / n.info.allocatable().cpu();
    double memory = (n.usedMemory + r.resources().memory()) / n.info.allocatable().memory();
    double storage = (n.usedStorage + r.resources().storage()) / n.info.allocatable().storage();
    double avg = (cpu + memory + storage) / 3;
    return Math.max(0, 1 - Math.abs(avg - 0.75) * 2);
  }
}
