package io.orchestra.examples.demo;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.Ticker;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.NodeFailureSummary;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A node dies mid-run: its HTTP servers stop without a word, discovery's active health checks
 * mark its instances unhealthy (so the mesh stops choosing them), the application declares the
 * node failed, and the scheduler places replacements elsewhere, which start and register like
 * any replica. The dead instances are then deregistered, as the scheduler's summary asks the
 * application to.
 */
final class NodeFailurePhase {
  private final WorkloadScheduler scheduler;
  private final ClusterState cluster;
  private final LoopbackRuntime runtime;
  private final DiscoveryWiring discovery;
  private final Console console;
  private final Ticker ticker;

  /**
   * What happened.
   *
   * @param node the failed node
   * @param affected replicas it ran
   * @param unhealthy of those, how many discovery marked UNHEALTHY before the node was declared failed
   * @param detectionSeconds from the crash until discovery had marked them all
   * @param rescheduled replacements placed and running
   * @param failed replacements that could not be placed
   */
  record Result(String node, int affected, int unhealthy, double detectionSeconds, int rescheduled, int failed) {}

  NodeFailurePhase(
      WorkloadScheduler scheduler, ClusterState cluster, LoopbackRuntime runtime, DiscoveryWiring discovery, Console console, Ticker ticker) {
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.runtime = runtime;
    this.discovery = discovery;
    this.console = console;
    this.ticker = ticker;
  }

  /** The untainted node running the most replicas (ties by name): the one whose loss hurts most. */
  static String busiestNode(ClusterState cluster) {
    return cluster.nodes().stream()
        .filter(n -> n.info().taints().isEmpty())
        .max(Comparator.comparingInt(NodeStatus::placements).thenComparing(NodeStatus::id, Comparator.reverseOrder()))
        .map(NodeStatus::id)
        .orElseThrow();
  }

  Result run(String nodeId) throws Exception {
    List<Placement> lost = cluster.placementsOn(nodeId);
    List<ServiceInstance> instances =
        lost.stream().map(p -> runtime.instance(p.containerId())).filter(Objects::nonNull).toList();
    runtime.crashNode(nodeId);
    long crashedAt = ticker.read();
    console.phase("node-failure", "%s stops answering; it ran %d replicas: %s", nodeId, lost.size(),
        String.join(", ", lost.stream().map(Placement::containerId).toList()));
    Waits.until(() -> unhealthy(instances) == instances.size(), Duration.ofSeconds(5), ticker);
    int unhealthy = unhealthy(instances);
    double detection = (ticker.read() - crashedAt) / 1e9;
    console.detail("discovery: %d/%d of its instances UNHEALTHY after %d failed health checks in a row (%.1f s); the mesh no longer picks them",
        unhealthy, instances.size(), discovery.discovery().config().failureThreshold(), detection);
    NodeFailureSummary summary = scheduler.handleNodeFailure(nodeId).toCompletableFuture().get(15, TimeUnit.SECONDS);
    for (NodeFailureSummary.Reschedule r : summary.reschedules()) {
      runtime.forget(r.oldContainerId());
      SchedulingResult s = r.result();
      if (s.success()) {
        String zone = cluster.node(s.nodeId()).map(n -> n.info().zone()).orElse("?");
        console.detail("%-22s -> %s on %s %s (score %.1f), registered and health-checked", r.oldContainerId(), s.containerId(),
            s.nodeId(), zone, s.score());
      } else {
        console.detail("%-22s NOT rescheduled: %s", r.oldContainerId(), s.error());
      }
    }
    console.detail("scheduler: %d affected, %d rescheduled, %d failed%s", summary.affectedContainers(),
        summary.successfulReschedules(), summary.failedReschedules(),
        summary.overBudget().isEmpty() ? "" : "; over the unavailability budget: " + summary.overBudget());
    return new Result(nodeId, summary.affectedContainers(), unhealthy, detection, summary.successfulReschedules(),
        summary.failedReschedules());
  }

  private int unhealthy(List<ServiceInstance> instances) {
    return (int) instances.stream().filter(i -> "UNHEALTHY".equals(discovery.health(i))).count();
  }
}
