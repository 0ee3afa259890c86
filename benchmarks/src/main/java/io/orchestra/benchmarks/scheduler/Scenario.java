package io.orchestra.benchmarks.scheduler;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.LabelSelector;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.TaintEffect;
import io.orchestra.scheduler.Toleration;
import io.orchestra.scheduler.Topology;
import io.orchestra.scheduler.TopologySpreadConstraint;
import io.orchestra.scheduler.WorkloadAffinityTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * The clusters and pod streams the scheduler benchmarks share, so that Orchestra and the seed's
 * literal algorithm see exactly the same input.
 *
 * <ul>
 *   <li>Nodes: 32 cpu, 128 GiB, 1 TB, 10 Gbit/s; 20 zones; {@code disk=ssd} on even nodes;
 *       every seventh node is {@code pool=gpu} with the taint {@code dedicated=gpu:NoSchedule},
 *       the others {@code pool=general}.
 *   <li>{@code basic}: 50 workloads of various sizes, resources only.
 *   <li>{@code selectors_taints}: the same workloads with node selectors ({@code disk=ssd}, or
 *       {@code pool=gpu} plus a toleration for every fifth workload).
 *   <li>{@code anti_affinity}: workloads of 10 replicas, each replica with required
 *       anti-affinity to its own workload per zone.
 *   <li>{@code spread}: one workload with a hard zone spread (maxSkew 1) and a soft node spread.
 * </ul>
 *
 * The steady state holds as many pods as nodes; each operation removes the oldest pod and places
 * a new one of the same workload.
 */
final class Scenario {
  static final int ZONES = 20;

  final String name;
  final List<NodeInfo> nodes = new ArrayList<>();
  final List<DeploymentRequest> templates = new ArrayList<>();
  final int steadyPods;

  Scenario(String name, int nodeCount) {
    this.name = name;
    for (int i = 0; i < nodeCount; i++) {
      boolean gpu = i % 7 == 3; // spread over every zone
      NodeInfo.Builder b =
          NodeInfo.builder("node-" + i)
              .zone("z" + (i % ZONES))
              .allocatable(32, 131_072, 1_000, 10_000)
              .label("disk", i % 2 == 0 ? "ssd" : "hdd")
              .label("pool", gpu ? "gpu" : "general");
      if (gpu) {
        b.taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE);
      }
      nodes.add(b.build());
    }
    this.steadyPods = nodeCount;
    switch (name) {
      case "basic":
      case "selectors_taints":
        for (int j = 0; j < 50; j++) {
          DeploymentRequest.Builder r =
              DeploymentRequest.builder("app-" + j)
                  .label("app", "app-" + j)
                  .resources(0.25 + (j % 8) * 0.25, 256.0 * (1 + j % 4), j % 3, 10);
          if (name.equals("selectors_taints")) {
            if (j % 5 == 0) {
              r.nodeSelector("pool", "gpu").toleration(Toleration.equal("dedicated", "gpu", TaintEffect.NO_SCHEDULE));
            } else if (j % 2 == 0) {
              r.nodeSelector("disk", "ssd");
            }
          }
          templates.add(r.build());
        }
        break;
      case "anti_affinity":
        for (int j = 0; j < steadyPods / 10; j++) {
          templates.add(
              DeploymentRequest.builder("ha-" + j)
                  .label("app", "ha-" + j)
                  .resources(0.5, 512)
                  .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "ha-" + j), Topology.ZONE))
                  .build());
        }
        break;
      case "spread":
        templates.add(
            DeploymentRequest.builder("spread")
                .label("app", "spread")
                .resources(0.5, 512)
                .spread(TopologySpreadConstraint.hard(1, Topology.ZONE))
                .spread(TopologySpreadConstraint.soft(1, Topology.NODE))
                .build());
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + name);
    }
  }

  /** The template of pod number {@code i}: pod {@code i} and pod {@code i - steadyPods} share it. */
  DeploymentRequest template(long i) {
    if (name.equals("anti_affinity")) {
      return templates.get((int) ((i / 10) % templates.size()));
    }
    return templates.get((int) (i % templates.size()));
  }
}
