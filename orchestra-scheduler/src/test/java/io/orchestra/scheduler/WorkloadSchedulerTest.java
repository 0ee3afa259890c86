package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class WorkloadSchedulerTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);

  @Test
  void schedule_success_returnsTheSeedsResultAndReserves() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    DeploymentRequest web = DeploymentRequest.builder("web").resources(1, 1024).build();

    SchedulingResult r = join(scheduler.schedule(web));

    assertThat(r.success()).isTrue();
    assertThat(r.nodeId()).isEqualTo("n1");
    assertThat(r.containerId()).startsWith("web-");
    assertThat(r.allocation()).isEqualTo(Resources.of(1, 1024));
    assertThat(r.schedulingTime()).isEqualTo(Duration.ZERO);
    assertThat(r.score()).isBetween(0.0, 100.0);
    assertThat(cluster.node("n1").orElseThrow().used()).isEqualTo(Resources.of(1, 1024));
    assertThat(cluster.placement(r.containerId()).orElseThrow().status()).isEqualTo(Placement.Status.RUNNING);
  }

  @Test
  void schedule_runtimeFails_releasesTheReservation() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    List<Placement> created = new ArrayList<>();
    ContainerRuntime failing =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            created.add(placement);
            assertThat(cluster.node("n1").orElseThrow().used().cpu()).isEqualTo(1.0); // reserved while creating
            return CompletableFuture.failedFuture(new IllegalStateException("image pull failed"));
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            return CompletableFuture.completedFuture(null);
          }
        };
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(failing).build();

    SchedulingResult r = join(scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()));

    assertThat(r.success()).isFalse();
    assertThat(r.failure()).isEqualTo(SchedulingResult.Failure.RUNTIME_FAILED);
    assertThat(r.error()).contains("image pull failed");
    assertThat(created).hasSize(1);
    assertThat(cluster.placements()).isEmpty();
    assertThat(cluster.node("n1").orElseThrow().used()).isEqualTo(Resources.ZERO);
  }

  @Test
  void schedule_runtimeThrowsSynchronously_releasesTheReservation() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    ContainerRuntime throwing =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            throw new IllegalStateException("runtime down");
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            return CompletableFuture.completedFuture(null);
          }
        };
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(throwing).build();

    SchedulingResult r = join(scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()));

    assertThat(r.failure()).isEqualTo(SchedulingResult.Failure.RUNTIME_FAILED);
    assertThat(cluster.placements()).isEmpty();
  }

  @Test
  void schedule_runtimeNeverAnswers_timesOutOnVirtualTimeAndReleases() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    List<String> terminated = new ArrayList<>();
    ContainerRuntime hanging =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            return new CompletableFuture<>();
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            terminated.add(placement.containerId());
            return CompletableFuture.completedFuture(null);
          }
        };
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(hanging).build();

    CompletableFuture<SchedulingResult> f =
        scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()).toCompletableFuture();
    assertThat(f).isNotDone();
    assertThat(cluster.placements()).hasSize(1);
    time.advance(Duration.ofMinutes(5));

    SchedulingResult r = f.join();
    assertThat(r.failure()).isEqualTo(SchedulingResult.Failure.RUNTIME_TIMEOUT);
    assertThat(r.schedulingTime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cluster.placements()).isEmpty();
    assertThat(terminated).containsExactly(r.containerId());
  }

  @Test
  void schedule_nothingFits_explainsPerFilterWithTheNearestFix() {
    for (int i = 0; i < 8; i++) {
      cluster.putNode(node("small-" + i, "a", 1, 8192).build());
    }
    for (int i = 0; i < 12; i++) {
      cluster.putNode(node("gpu-" + i, "b", 8, 8192).taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build());
    }
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();

    SchedulingResult r = join(scheduler.schedule(DeploymentRequest.builder("web").resources(2, 1024).build()));

    assertThat(r.failure()).isEqualTo(SchedulingResult.Failure.UNSCHEDULABLE);
    Unschedulable why = r.unschedulable();
    assertThat(why.nodes()).isEqualTo(20);
    assertThat(why.rejection("resources").nodes()).isEqualTo(8);
    assertThat(why.rejection("resources").reasons()).containsEntry("insufficient cpu", 8);
    assertThat(why.rejection("taint_toleration").nodes()).isEqualTo(12);
    assertThat(why.rejection("taint_toleration").reasons())
        .containsEntry("untolerated taint dedicated=gpu:NoSchedule", 12);
    assertThat(why.fixes().get(0))
        .isEqualTo(new SuggestedFix("taint_toleration", "tolerate dedicated=gpu:NoSchedule", 12));
    assertThat(why.fixes().get(1)).isEqualTo(new SuggestedFix("resources", "request cpu <= 1", 8));
    assertThat(r.error()).contains("0/20 nodes fit web").contains("Nearest fix: tolerate dedicated=gpu:NoSchedule: 12 nodes would fit");
  }

  @Test
  void explanation_namesTheTopologyDomain_inPlainWords() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    cluster.register(
        "web-1", DeploymentRequest.builder("web").label("app", "web").resources(1, 512).build(), "n1");
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    LabelSelector web = LabelSelector.matching("app", "web");

    Unschedulable perNode =
        scheduler
            .check(DeploymentRequest.builder("web").resources(1, 512)
                .requiredAntiAffinity(WorkloadAffinityTerm.of(web, Topology.NODE)).build())
            .orElseThrow();
    Unschedulable perZone =
        scheduler
            .check(DeploymentRequest.builder("web").resources(1, 512)
                .requiredAntiAffinity(WorkloadAffinityTerm.of(web, Topology.ZONE)).build())
            .orElseThrow();

    assertThat(perNode.rejection("workload_anti_affinity").reasons().keySet())
        .singleElement().asString().endsWith(" already present on the node");
    assertThat(perZone.rejection("workload_anti_affinity").reasons().keySet())
        .singleElement().asString().endsWith(" already present in the node's zone");
  }

  @Test
  void explanation_suggestsNoZeroRequest_forNodesWithNothingLeft() {
    cluster.putNode(node("full", "a", 2, 8192).build());
    cluster.register("hog", DeploymentRequest.builder("hog").resources(2, 1).build(), "full");
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();

    Unschedulable why = scheduler.check(DeploymentRequest.builder("web").resources(0.5, 512).build()).orElseThrow();

    assertThat(why.rejection("resources").nodes()).isEqualTo(1);
    assertThat(why.fixes()).as("\"request cpu <= 0\" is no fix").isEmpty();
  }

  @Test
  void explanation_roundsSuggestedRequestsDown_soThatApplyingThemFits() {
    cluster.putNode(node("n1", "a", 1, 8192).build());
    cluster.register("third", DeploymentRequest.builder("third").resources(1.0 / 3, 1).build(), "n1");
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    DeploymentRequest web = DeploymentRequest.builder("web").resources(0.9, 512).build();

    SuggestedFix fix = scheduler.check(web).orElseThrow().fixes().get(0);

    assertThat(fix).isEqualTo(new SuggestedFix("resources", "request cpu <= 0.666", 1)); // 2/3 left
    assertThat(scheduler.feasibleNodes(web.toBuilder().resources(0.666, 512).build())).containsExactly("n1");
  }

  @Test
  void deploy_placesTheReplicationFactor() {
    for (int i = 0; i < 5; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 3), 4, 8192).build());
    }
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();

    List<SchedulingResult> results = join(scheduler.deploy(DeploymentRequest.builder("web").resources(1, 512).build()));

    assertThat(results).hasSize(3).allMatch(SchedulingResult::success);
    // default spreading puts the three replicas on three different nodes
    assertThat(results.stream().map(SchedulingResult::nodeId).distinct()).hasSize(3);
  }

  @Test
  void deploy_whenCapacityIsShort_asksTheProvisioner() {
    cluster.putNode(node("n1", "a", 2, 8192).build());
    List<CapacityRequest> asked = new ArrayList<>();
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).provisioner(asked::add).build();
    DeploymentRequest web = DeploymentRequest.builder("web").resources(1, 512).build();

    List<SchedulingResult> results = join(scheduler.deploy(web, 5));

    assertThat(results.stream().filter(SchedulingResult::success)).hasSize(2);
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).replicas()).isEqualTo(3);
    assertThat(asked.get(0).total()).isEqualTo(Resources.of(3, 1536));
    assertThat(asked.get(0).reason()).isEqualTo(CapacityRequest.Reason.SCALE_UP);
  }

  @Test
  void provisioner_notCalled_whenClusterAutoscalerIsOff() {
    cluster.putNode(node("n1", "a", 1, 8192).build());
    List<CapacityRequest> asked = new ArrayList<>();
    SchedulerConfig config =
        SchedulerConfig.builder()
            .scaling(ScalingConfig.builder().clusterAutoscaler(false).build())
            .build();
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).config(config).provisioner(asked::add).build();

    join(scheduler.deploy(DeploymentRequest.builder("web").resources(1, 512).build(), 3));

    assertThat(asked).isEmpty();
  }

  @Test
  void terminate_stopsGracefullyThenFrees() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    List<Duration> graces = new ArrayList<>();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    ContainerRuntime runtime =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            graces.add(gracePeriod);
            return stopped;
          }
        };
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).runtime(runtime).build();
    SchedulingResult r = join(scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()));

    CompletableFuture<Boolean> done = scheduler.terminate(r.containerId()).toCompletableFuture();

    assertThat(cluster.placement(r.containerId()).orElseThrow().status()).isEqualTo(Placement.Status.TERMINATING);
    assertThat(cluster.node("n1").orElseThrow().used().cpu()).isEqualTo(1.0);
    stopped.complete(null);
    assertThat(done.join()).isTrue();
    assertThat(graces).containsExactly(Duration.ofSeconds(30));
    assertThat(cluster.placements()).isEmpty();
    assertThat(join(scheduler.terminate(r.containerId()))).isFalse();
  }

  @Test
  void terminate_runtimeFailsAfterTheCreationFinished_placementReturnsToRunning() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    CompletableFuture<Void> created = new CompletableFuture<>();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    WorkloadScheduler scheduler =
        Fixtures.scheduler(cluster, time).runtime(Fixtures.runtime(p -> created, (p, grace) -> stopped)).build();
    CompletableFuture<SchedulingResult> scheduled =
        scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()).toCompletableFuture();
    String id = cluster.placements().get(0).containerId();

    CompletableFuture<Boolean> done = scheduler.terminate(id).toCompletableFuture(); // while PENDING
    created.complete(null); // the container now exists; it stays TERMINATING meanwhile
    assertThat(scheduled.join().success()).isTrue();
    assertThat(cluster.placement(id).orElseThrow().status()).isEqualTo(Placement.Status.TERMINATING);
    stopped.completeExceptionally(new IllegalStateException("stop failed"));

    assertThat(done.join()).isFalse();
    assertThat(cluster.placement(id).orElseThrow().status()).isEqualTo(Placement.Status.RUNNING);
  }

  @Test
  void terminate_runtimeFailsWhileTheCreationRuns_placementStaysPendingUntilCreated() {
    cluster.putNode(node("n1", "a", 4, 8192).build());
    CompletableFuture<Void> created = new CompletableFuture<>();
    WorkloadScheduler scheduler =
        Fixtures.scheduler(cluster, time)
            .runtime(
                Fixtures.runtime(
                    p -> created, (p, grace) -> CompletableFuture.failedFuture(new IllegalStateException("stop failed"))))
            .build();
    CompletableFuture<SchedulingResult> scheduled =
        scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1024).build()).toCompletableFuture();
    String id = cluster.placements().get(0).containerId();

    assertThat(join(scheduler.terminate(id))).isFalse();
    assertThat(cluster.placement(id).orElseThrow().status()).isEqualTo(Placement.Status.PENDING);
    created.complete(null);

    assertThat(scheduled.join().success()).isTrue();
    assertThat(cluster.placement(id).orElseThrow().status()).isEqualTo(Placement.Status.RUNNING);
  }

  @Test
  void builder_rejectsAScoreWeightForAnUnknownScore() {
    SchedulerConfig config =
        SchedulerConfig.builder()
            .scheduling(SchedulingConfig.builder().scoreWeight("no_such_score", 1).build())
            .build();
    assertThatThrownBy(() -> Fixtures.scheduler(cluster, time).config(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduling.scoreWeights")
        .hasMessageContaining("no_such_score");
  }

  @Test
  void userPlugins_filterAndScore() {
    cluster.putNode(node("n1", "a", 4, 8192).label("gen", "old").build());
    cluster.putNode(node("n2", "a", 4, 8192).label("gen", "new").build());
    cluster.putNode(node("n3", "a", 4, 8192).label("gen", "newest").build());
    FilterPlugin notOld =
        new FilterPlugin() {
          @Override
          public String name() {
            return "no_old_nodes";
          }

          @Override
          public boolean accepts(DeploymentRequest request, NodeView node) {
            return !"old".equals(node.label("gen"));
          }
        };
    ScorePlugin likesNewest =
        new ScorePlugin() {
          @Override
          public String name() {
            return "likes_newest";
          }

          @Override
          public double score(DeploymentRequest request, NodeView node) {
            return "newest".equals(node.label("gen")) ? 100 : 0;
          }
        };
    WorkloadScheduler scheduler =
        Fixtures.scheduler(cluster, time).filter(notOld).score(likesNewest, 100).build();

    assertThat(scheduler.filters()).endsWith("no_old_nodes");
    assertThat(scheduler.scoreWeights()).containsEntry("likes_newest", 100.0);
    SchedulingResult r = join(scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1).build()));
    assertThat(r.nodeId()).isEqualTo("n3");

    SchedulingResult none =
        join(
            Fixtures.scheduler(new ClusterState(time).putNode(node("x", "a", 4, 8192).label("gen", "old").build()), time)
                .filter(notOld)
                .build()
                .schedule(DeploymentRequest.builder("web").resources(1, 1).build()));
    assertThat(none.unschedulable().rejection("no_old_nodes").reasons()).containsEntry("rejected by no_old_nodes", 1);
  }
}
