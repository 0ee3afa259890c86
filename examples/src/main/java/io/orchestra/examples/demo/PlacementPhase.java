package io.orchestra.examples.demo;

import io.orchestra.examples.demo.DemoCluster.Workload;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Places the service replicas one by one and prints, for each, the node, its zone, the score
 * the scheduler gave it and why the other nodes were not eligible; then asks for a job that fits
 * nowhere and prints the scheduler's explanation and nearest fix.
 */
final class PlacementPhase {
  private final WorkloadScheduler scheduler;
  private final ClusterState cluster;
  private final PlacementExplainer explainer;
  private final Console console;

  /**
   * What was placed.
   *
   * @param placed replicas running
   * @param failed replicas that could not be placed
   * @param unschedulable the scheduler's explanation for the job that fits nowhere
   */
  record Result(int placed, int failed, String unschedulable) {}

  PlacementPhase(WorkloadScheduler scheduler, ClusterState cluster, PlacementExplainer explainer, Console console) {
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.explainer = explainer;
    this.console = console;
  }

  Result run(List<Workload> workloads, DeploymentRequest oversized) throws Exception {
    int replicas = workloads.stream().mapToInt(Workload::replicas).sum();
    console.phase("placement", "%d replicas of %d workloads onto %d nodes (%s)", replicas, workloads.size(),
        cluster.nodeCount(), scheduler.config().scheduling().algorithm());
    int placed = 0;
    int failed = 0;
    for (Workload w : workloads) {
      for (int i = 0; i < w.replicas(); i++) {
        if (place(w.request())) {
          placed++;
        } else {
          failed++;
        }
      }
    }
    String why = scheduler.check(oversized).map(u -> u.message()).orElse("it fits");
    console.detail("%s (%s cpu): %s", oversized.workload(), fmt(oversized.resources().cpu()), why);
    return new Result(placed, failed, why);
  }

  /** Places one replica of {@code request} and prints where and why; false when it failed. */
  boolean place(DeploymentRequest request) throws Exception {
    Set<String> feasible = new HashSet<>(scheduler.feasibleNodes(request));
    SchedulingResult r = scheduler.schedule(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (!r.success()) {
      console.detail("%-22s NOT PLACED: %s", request.workload(), r.error());
      return false;
    }
    console.detail("%-22s -> %s", r.containerId(), describe(r, feasible, request));
    return true;
  }

  /** "node-a1 (eu-west-1a) score 74.1, 5/6 nodes fit; gpu-c2: untolerated taint ...". */
  String describe(SchedulingResult r, Set<String> feasible, DeploymentRequest request) {
    String zone = cluster.node(r.nodeId()).map(n -> n.info().zone()).orElse("?");
    List<String> excluded = new ArrayList<>();
    for (NodeStatus n : cluster.nodes()) {
      if (!feasible.contains(n.id())) {
        excluded.add(n.id() + ": " + explainer.whyNot(n.id(), request));
      }
    }
    String rest = excluded.isEmpty() ? "every node fits" : String.join("; ", excluded);
    return String.format("%-8s %-10s score %5.1f  %d/%d nodes fit; %s",
        r.nodeId(), zone, r.score(), feasible.size(), cluster.nodeCount(), rest);
  }

  private static String fmt(double cpu) {
    return cpu == Math.rint(cpu) ? Long.toString((long) cpu) : Double.toString(cpu);
  }
}
