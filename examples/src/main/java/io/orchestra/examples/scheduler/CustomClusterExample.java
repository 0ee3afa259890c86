package io.orchestra.examples.scheduler;

import io.orchestra.scheduler.ClusterChange;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.ContainerRuntime;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.LabelSelector;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeView;
import io.orchestra.scheduler.ScorePlugin;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.SimulationResult;
import io.orchestra.scheduler.Topology;
import io.orchestra.scheduler.Unschedulable;
import io.orchestra.scheduler.WorkloadAffinityTerm;
import io.orchestra.scheduler.WorkloadScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Scheduling onto a cluster you describe: five nodes in three zones (two with SSDs, one a cheap
 * spot machine), a web tier that must spread one replica per zone, a database that needs an SSD,
 * batch jobs that prefer spot capacity (a {@link ScorePlugin} of the application's own), a job
 * too large for any node (the scheduler explains why), and a what-if drain of the database's
 * node. The runtime here is {@link ContainerRuntime#noop()}, as for planning; an application
 * passes its own (Docker, a cloud API, processes).
 */
public final class CustomClusterExample {
  private CustomClusterExample() {}

  /**
   * What the scheduler decided.
   *
   * @param nodesByWorkload where each workload's replicas went, in order
   * @param zonesOfWeb the zones of the web replicas
   * @param unschedulable the explanation for the job that fits nowhere
   * @param dbAfterDrain where a drain of the database's node would move it
   */
  public record Result(Map<String, List<String>> nodesByWorkload, List<String> zonesOfWeb, String unschedulable, String dbAfterDrain) {}

  /** Prefers spot nodes for batch work; neutral for everything else. */
  static final ScorePlugin PREFER_SPOT_FOR_BATCH = new ScorePlugin() {
    @Override
    public String name() {
      return "prefer_spot_for_batch";
    }

    @Override
    public double score(DeploymentRequest request, NodeView node) {
      if (!"batch".equals(request.labels().get("tier"))) {
        return 50;
      }
      return "true".equals(node.label("spot")) ? 100 : 0;
    }
  };

  public static Result run() throws Exception {
    ClusterState cluster = new ClusterState();
    cluster.putNode(NodeInfo.builder("n1").zone("z1").allocatable(8, 16_384, 200, 1_000).label("disk", "ssd").build());
    cluster.putNode(NodeInfo.builder("n2").zone("z1").allocatable(8, 16_384, 200, 1_000).build());
    cluster.putNode(NodeInfo.builder("n3").zone("z2").allocatable(8, 16_384, 200, 1_000).label("disk", "ssd").build());
    cluster.putNode(NodeInfo.builder("n4").zone("z3").allocatable(8, 16_384, 200, 1_000).build());
    cluster.putNode(NodeInfo.builder("spot-1").zone("z3").allocatable(16, 32_768, 100, 1_000).label("spot", "true").build());

    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster)
            .runtime(ContainerRuntime.noop())
            .score(PREFER_SPOT_FOR_BATCH, 5.0) // weighted like the built-in scores
            .build();

    DeploymentRequest web = DeploymentRequest.builder("web").label("app", "web").resources(1, 1_024)
        .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
        .build();
    DeploymentRequest db = DeploymentRequest.builder("db").label("app", "db").resources(4, 8_192)
        .nodeSelector("disk", "ssd").build();
    DeploymentRequest batch = DeploymentRequest.builder("report").label("tier", "batch").resources(2, 2_048).build();
    DeploymentRequest huge = DeploymentRequest.builder("ml-train").resources(64, 262_144).build();

    Map<String, List<String>> placed = new TreeMap<>();
    for (DeploymentRequest r : List.of(web, db, batch)) {
      int replicas = r == db ? 1 : r == web ? 3 : 2;
      for (SchedulingResult s : scheduler.deploy(r, replicas).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
        placed.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(s.success() ? s.nodeId() : "unplaced: " + s.error());
      }
    }
    List<String> zonesOfWeb = cluster.placementsOf("web").stream()
        .map(p -> cluster.node(p.nodeId()).orElseThrow().info().zone()).toList();
    String why = scheduler.check(huge).map(Unschedulable::message).orElse("fits");

    String dbNode = placed.get("db").get(0);
    SimulationResult drain = scheduler.simulate(List.of(ClusterChange.drainNode(dbNode)));
    String moved = drain.placements().stream().filter(p -> p.workload().equals("db")).map(p -> p.nodeId())
        .findFirst().orElse("nowhere: " + drain.unschedulable());
    return new Result(placed, zonesOfWeb, why, moved);
  }

  public static void main(String[] args) throws Exception {
    Result r = run();
    r.nodesByWorkload().forEach((w, nodes) -> System.out.println(w + " -> " + nodes));
    System.out.println("web zones: " + r.zonesOfWeb());
    System.out.println("ml-train: " + r.unschedulable());
    System.out.println("draining the db node would move db to " + r.dbAfterDrain());
  }
}
