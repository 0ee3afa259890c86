package io.orchestra.examples.demo;

import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.FilterRejection;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.Unschedulable;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Why a node did not get a replica, in the scheduler's own words. The scheduler explains a
 * request that fits nowhere ({@link WorkloadScheduler#check}); to hear it about one node, the
 * explainer asks a throwaway scheduler over a copy of that node alone, with the containers it
 * runs. That is exact for node-local constraints (resources, selectors, taints, node
 * anti-affinity), which are the ones the demo's services use; zone-wide rules would need the
 * whole cluster.
 */
final class PlacementExplainer {
  private final ClusterState cluster;
  private final SchedulerConfig config;
  private final Clock clock;

  PlacementExplainer(ClusterState cluster, SchedulerConfig config, Clock clock) {
    this.cluster = cluster;
    this.config = config;
    this.clock = clock;
  }

  /** The reasons {@code nodeId} rejects {@code request} now, or "fits" when it does not. */
  String whyNot(String nodeId, DeploymentRequest request) {
    NodeStatus node = cluster.node(nodeId).orElseThrow();
    ClusterState alone = ClusterState.of(clock, List.of(node.info()));
    for (Placement p : cluster.placementsOn(nodeId)) {
      alone.register(p.containerId(), p.request(), nodeId);
    }
    return WorkloadScheduler.builder(alone).config(config).build().check(request)
        .map(PlacementExplainer::reasons)
        .orElse("fits");
  }

  /** The distinct reasons of an explanation, joined: "untolerated taint ..., insufficient cpu". */
  static String reasons(Unschedulable why) {
    TreeSet<String> reasons = new TreeSet<>();
    for (FilterRejection r : why.rejections()) {
      reasons.addAll(r.reasons().keySet());
    }
    return String.join(", ", new ArrayList<>(reasons));
  }
}
