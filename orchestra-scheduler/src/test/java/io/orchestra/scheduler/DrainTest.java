package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DrainTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  private final List<String> calls = new ArrayList<>();

  private final ContainerRuntime recording =
      new ContainerRuntime() {
        @Override
        public CompletionStage<Void> create(Placement placement) {
          calls.add("create@" + placement.nodeId());
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
          calls.add("terminate@" + placement.nodeId());
          return CompletableFuture.completedFuture(null);
        }
      };

  private WorkloadScheduler scheduler(int maxUnavailable, int maxSurge) {
    SchedulerConfig config =
        SchedulerConfig.builder()
            .resilience(ResilienceConfig.builder().maxUnavailable(maxUnavailable).maxSurge(maxSurge).build())
            .build();
    return Fixtures.scheduler(cluster, time).runtime(recording).config(config).build();
  }

  /** Nodes n1 and n2 in one zone, with {@code replicas} replicas of api (api-1, ...) on n1. */
  private void twoNodesWithApiOnN1(int replicas) {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("n2", "a", 4, 4096).build());
    DeploymentRequest api = DeploymentRequest.builder("api").resources(1, 256).build();
    for (int i = 1; i <= replicas; i++) {
      cluster.register("api-" + i, api, "n1");
    }
  }

  @Test
  void drain_surgesFirst_thenStopsTheOldContainer() {
    twoNodesWithApiOnN1(2);

    DrainSummary s = join(scheduler(1, 1).drain("n1"));

    assertThat(s.complete()).isTrue();
    assertThat(s.moved()).isEqualTo(2);
    assertThat(calls).containsExactly("create@n2", "terminate@n1", "create@n2", "terminate@n1");
    assertThat(cluster.placementsOn("n1")).isEmpty();
    assertThat(cluster.placementsOf("api")).hasSize(2).allMatch(p -> p.nodeId().equals("n2"));
    assertThat(cluster.node("n1").orElseThrow().info().cordoned()).isTrue();
  }

  @Test
  @DisplayName("a placement removed by someone else while its replacement is created has left the node: moved, not stayed")
  void drain_oldPlacementRemovedDuringSurge_countsItMoved_andIsComplete() {
    twoNodesWithApiOnN1(2);
    // The application removes api-1 (say, the node's failure was handled) while drain creates
    // its replacement: stopping it then finds nothing to stop.
    ContainerRuntime removing =
        Fixtures.runtime(
            p -> {
              calls.add("create@" + p.nodeId());
              cluster.remove("api-1");
              return CompletableFuture.completedFuture(null);
            },
            (p, grace) -> {
              calls.add("terminate@" + p.nodeId());
              return CompletableFuture.completedFuture(null);
            });
    SchedulerConfig config =
        SchedulerConfig.builder().resilience(ResilienceConfig.builder().maxUnavailable(1).maxSurge(1).build()).build();

    DrainSummary s = join(Fixtures.scheduler(cluster, time).runtime(removing).config(config).build().drain("n1"));

    assertThat(cluster.placementsOn("n1")).isEmpty();
    assertThat(s.stayed()).isZero();
    assertThat(s.complete()).isTrue();
    assertThat(s.moved()).isEqualTo(2);
    assertThat(calls).containsExactly("create@n2", "create@n2", "terminate@n1");
  }

  @Test
  void drain_whenNoSurgeFits_evictsFirstWithinMaxUnavailable() {
    for (String z : List.of("a", "b")) {
      cluster.putNode(node(z + "1", z, 4, 4096).build());
    }
    cluster.putNode(node("a2", "a", 4, 4096).build());
    DeploymentRequest web =
        DeploymentRequest.builder("web")
            .label("app", "web")
            .resources(1, 256)
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
            .build();
    cluster.register("web-a", web, "a1");
    cluster.register("web-b", web, "b1");

    DrainSummary s = join(scheduler(1, 1).drain("a1"));

    // a2 is in the same zone as the old replica: only after it stops may the new one start there
    assertThat(s.moved()).isEqualTo(1);
    assertThat(calls).containsExactly("terminate@a1", "create@a2");
    assertThat(cluster.placementsOf("web")).extracting(Placement::nodeId).containsExactlyInAnyOrder("a2", "b1");
  }

  @Test
  void drain_withMaxUnavailableZero_leavesWhatCannotSurge() {
    cluster.putNode(node("a1", "a", 4, 4096).build());
    cluster.putNode(node("b1", "b", 4, 4096).build());
    DeploymentRequest web =
        DeploymentRequest.builder("web")
            .label("app", "web")
            .resources(1, 256)
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.NODE))
            .build();
    cluster.register("web-a", web, "a1");
    cluster.register("web-b", web, "b1");

    DrainSummary s = join(scheduler(0, 1).drain("a1"));

    assertThat(s.complete()).isFalse();
    assertThat(s.stayed()).isEqualTo(1);
    assertThat(calls).isEmpty();
    assertThat(cluster.placementsOn("a1")).hasSize(1);
  }

  @Test
  void drain_evictingWithoutRoom_losesTheReplicaButSaysSo() {
    cluster.putNode(node("a1", "a", 4, 4096).build());
    DeploymentRequest api = DeploymentRequest.builder("api").resources(1, 256).build();
    cluster.register("api-1", api, "a1");

    DrainSummary s = join(scheduler(1, 1).drain("a1"));

    assertThat(s.lost()).isEqualTo(1);
    assertThat(s.complete()).isTrue();
    assertThat(s.results()).hasSize(1).allMatch(r -> r.failure() == SchedulingResult.Failure.UNSCHEDULABLE);
  }

  @Test
  void drain_whenTheOldContainerCannotBeStopped_isNotComplete() {
    twoNodesWithApiOnN1(1);
    ContainerRuntime stuck =
        Fixtures.runtime(
            p -> CompletableFuture.completedFuture(null),
            (p, grace) -> CompletableFuture.failedFuture(new IllegalStateException("container does not stop")));
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(stuck).build();

    DrainSummary s = join(scheduler.drain("n1"));

    assertThat(cluster.placementsOn("n1")).extracting(Placement::status).containsExactly(Placement.Status.RUNNING);
    assertThat(s.complete()).as("the node still runs api-1").isFalse();
    assertThat(s.stayed()).isEqualTo(1);
    assertThat(s.moved()).isZero();
    assertThat(s.results()).hasSize(1).allMatch(SchedulingResult::success); // the surge replacement stays
  }
}
