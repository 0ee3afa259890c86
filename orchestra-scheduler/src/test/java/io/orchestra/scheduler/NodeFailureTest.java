package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeFailureTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  private final List<CapacityRequest> asked = new ArrayList<>();

  private static final DeploymentRequest WEB =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 512)
          .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
          .build();

  private WorkloadScheduler scheduler() {
    return Fixtures.scheduler(cluster, time).provisioner(asked::add).build();
  }

  private String zoneOf(String nodeId) {
    return cluster.node(nodeId).orElseThrow().info().zone();
  }

  @Test
  void replacementRespectsZoneAntiAffinity() {
    for (String z : List.of("a", "b", "c")) {
      cluster.putNode(node(z + "1", z, 4, 4096).build());
      cluster.putNode(node(z + "2", z, 4, 4096).build());
    }
    WorkloadScheduler scheduler = scheduler();
    List<SchedulingResult> placed = join(scheduler.deploy(WEB));
    assertThat(placed.stream().map(r -> zoneOf(r.nodeId())).distinct()).hasSize(3);
    String victim = placed.get(0).nodeId();
    String victimZone = zoneOf(victim);

    NodeFailureSummary summary = join(scheduler.handleNodeFailure(victim));

    assertThat(summary.success()).isTrue();
    assertThat(summary.failedNode()).isEqualTo(victim);
    assertThat(summary.affectedContainers()).isEqualTo(1);
    assertThat(summary.successfulReschedules()).isEqualTo(1);
    assertThat(summary.failedReschedules()).isZero();
    String replacementNode = summary.reschedules().get(0).result().nodeId();
    assertThat(replacementNode).isNotEqualTo(victim);
    assertThat(zoneOf(replacementNode)).as("the only zone without a web replica").isEqualTo(victimZone);
    assertThat(cluster.node(victim).orElseThrow().info().healthy()).isFalse();
    assertThat(cluster.placementsOn(victim)).isEmpty();
    assertThat(cluster.placementsOf("web")).hasSize(3);
    assertThat(asked).isEmpty();
  }

  @Test
  void whenNoNodeQualifies_theReplacementFailsAndTheProvisionerIsAsked() {
    for (String z : List.of("a", "b", "c")) {
      cluster.putNode(node(z + "1", z, 4, 4096).build());
    }
    WorkloadScheduler scheduler = scheduler();
    List<SchedulingResult> placed = join(scheduler.deploy(WEB));
    String victim = placed.get(1).nodeId();

    NodeFailureSummary summary = join(scheduler.handleNodeFailure(victim));

    assertThat(summary.affectedContainers()).isEqualTo(1);
    assertThat(summary.successfulReschedules()).isZero();
    assertThat(summary.failedReschedules()).isEqualTo(1);
    SchedulingResult r = summary.reschedules().get(0).result();
    assertThat(r.failure()).isEqualTo(SchedulingResult.Failure.UNSCHEDULABLE);
    assertThat(r.unschedulable().rejection("workload_anti_affinity").nodes()).isEqualTo(2);
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).reason()).isEqualTo(CapacityRequest.Reason.NODE_FAILURE);
    assertThat(asked.get(0).failedNodeId()).isEqualTo(victim);
    assertThat(asked.get(0).template()).isEqualTo(WEB);
    assertThat(cluster.placementsOf("web")).hasSize(2);
  }

  @Test
  void everyPlacementIsRescheduled_andOverBudgetWorkloadsAreNamed() {
    cluster.putNode(node("big", "a", 16, 16384).build());
    cluster.putNode(node("spare1", "a", 8, 8192).build());
    cluster.putNode(node("spare2", "b", 8, 8192).build());
    DeploymentRequest api = DeploymentRequest.builder("api").resources(1, 256).build();
    DeploymentRequest db = DeploymentRequest.builder("db").resources(2, 1024).build();
    cluster.register("api-1", api, "big");
    cluster.register("api-2", api, "big");
    cluster.register("db-1", db, "big");
    cluster.register("api-3", api, "spare1");
    WorkloadScheduler scheduler = scheduler();

    NodeFailureSummary summary = join(scheduler.handleNodeFailure("big"));

    assertThat(summary.affectedContainers()).isEqualTo(3);
    assertThat(summary.successfulReschedules()).isEqualTo(3);
    assertThat(summary.overBudget()).containsExactly("api"); // lost 2 > maxUnavailable 1
    assertThat(summary.reschedules()).extracting(NodeFailureSummary.Reschedule::oldContainerId)
        .containsExactly("api-1", "api-2", "db-1");
    assertThat(cluster.placementsOf("api")).hasSize(3).noneMatch(p -> p.nodeId().equals("big"));
    assertThat(cluster.placementsOf("db")).hasSize(1).noneMatch(p -> p.nodeId().equals("big"));
    assertThat(cluster.node("big").orElseThrow().used()).isEqualTo(Resources.ZERO);
  }

  @Test
  void terminatingPlacementsAreNotRescheduled() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("n2", "a", 4, 4096).build());
    DeploymentRequest api = DeploymentRequest.builder("api").resources(1, 256).build();
    cluster.register("api-1", api, "n1");
    cluster.store().update("api-1", p -> p.withStatus(Placement.Status.TERMINATING));

    NodeFailureSummary summary = join(scheduler().handleNodeFailure("n1"));

    assertThat(summary.affectedContainers()).isZero();
    assertThat(cluster.placements()).isEmpty();
  }

  @Test
  void concurrentReportsOfOneFailure_rescheduleEachPlacementOnce() throws Exception {
    // Failure detectors may report the same node several times at once: the replicas lost on it
    // must be replaced once, not once per report.
    int reporters = 4;
    int replicas = 1_000;
    List<String> wrong = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(reporters);
    try {
      for (int round = 0; round < 10; round++) {
        ClusterState state = new ClusterState(time);
        state.putNode(node("dead", "a", 10_000, 10_000_000).build());
        state.putNode(node("spare", "b", 10_000, 10_000_000).build());
        DeploymentRequest api = DeploymentRequest.builder("api").resources(1, 1).build();
        for (int i = 0; i < replicas; i++) {
          state.register("api-" + i, api, "dead");
        }
        WorkloadScheduler scheduler = Fixtures.scheduler(state, time).build();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(reporters);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<NodeFailureSummary>> reports = new ArrayList<>();
        for (int t = 0; t < reporters; t++) {
          reports.add(
              pool.submit(
                  () -> {
                    ready.countDown();
                    go.await();
                    return join(scheduler.handleNodeFailure("dead"));
                  }));
        }
        ready.await();
        go.countDown();
        int affected = 0;
        for (java.util.concurrent.Future<NodeFailureSummary> f : reports) {
          affected += f.get(60, java.util.concurrent.TimeUnit.SECONDS).affectedContainers();
        }
        int after = state.placementsOf("api").size();
        if (affected != replicas || after != replicas) {
          wrong.add("round " + round + ": " + affected + " reported lost, " + after + " replicas after");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void unknownNode_isNotASuccess() {
    NodeFailureSummary summary = join(scheduler().handleNodeFailure("ghost"));
    assertThat(summary.success()).isFalse();
    assertThat(summary.affectedContainers()).isZero();
  }
}
