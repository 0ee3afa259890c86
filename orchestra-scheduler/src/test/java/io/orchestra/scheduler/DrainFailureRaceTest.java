package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.testing.Race;
import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Drains and failure reports of one node, all at once, round after round: however they
 * interleave, every workload ends with exactly its replicas, none on the node. The runtime answers
 * at once (so nothing waits on virtual time, which never moves here); in odd rounds it cannot stop
 * containers on the failing node, so drains also keep surge replacements beside old containers and
 * give evictions back.
 */
class DrainFailureRaceTest {
  private static final int ROUNDS = 300;
  private static final int API = 6;

  private static final DeploymentRequest API_REQUEST = DeploymentRequest.builder("api").resources(1, 1).build();
  /** One replica per zone: the drain cannot surge it, so it evicts first. */
  private static final DeploymentRequest WEB =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 1)
          .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
          .build();
  private static final Map<String, Integer> DESIRED = Map.of("api", API, "web", 3);

  private final VirtualTime time = new VirtualTime();

  @Test
  void drainsAndFailureReportsOfOneNode_leaveEveryWorkloadAtItsReplicas() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int r = round;
      boolean stuckNode = round % 2 == 1;
      ClusterState cluster = new ClusterState(time);
      cluster.putNode(node("n1", "a", 100, 100).build());
      cluster.putNode(node("a2", "a", 100, 100).build());
      cluster.putNode(node("b1", "b", 100, 100).build());
      cluster.putNode(node("c1", "c", 100, 100).build());
      for (int i = 0; i < API; i++) {
        cluster.register("api-" + i, API_REQUEST, "n1");
      }
      cluster.register("web-a", WEB, "n1");
      cluster.register("web-b", WEB, "b1");
      cluster.register("web-c", WEB, "c1");
      ContainerRuntime runtime =
          Fixtures.runtime(
              p -> CompletableFuture.completedFuture(null),
              (p, grace) ->
                  stuckNode && p.nodeId().equals("n1")
                      ? CompletableFuture.failedFuture(new IllegalStateException("n1 does not answer"))
                      : CompletableFuture.completedFuture(null));
      WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(runtime).build();
      List<Callable<Void>> racers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        racers.add(() -> {
          join(scheduler.drain("n1"));
          return null;
        });
        racers.add(() -> {
          join(scheduler.handleNodeFailure("n1"));
          return null;
        });
      }

      Race.run(racers, List.of());

      if (!cluster.placementsOn("n1").isEmpty()) {
        wrong.add("round " + round + ": placements left on n1: " + cluster.placementsOn("n1"));
      }
      DESIRED.forEach(
          (workload, desired) -> {
            List<Placement> replicas = cluster.placementsOf(workload);
            long running = replicas.stream().filter(p -> p.status() == Placement.Status.RUNNING).count();
            if (replicas.size() != desired || running != desired) {
              wrong.add(
                  "round " + r + ": " + workload + " has " + replicas.size() + " replicas (" + running
                      + " running), wants " + desired);
            }
          });
    }
    assertThat(wrong).as("%d wrong of %d rounds", wrong.size(), ROUNDS).isEmpty();
  }
}
