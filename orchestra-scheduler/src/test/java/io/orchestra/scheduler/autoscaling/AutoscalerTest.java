package io.orchestra.scheduler.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.ContainerRuntime;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.ScaleDownOrder;
import io.orchestra.scheduler.ScalingConfig;
import io.orchestra.scheduler.ScalingPolicy;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  private final List<String> terminated = new ArrayList<>();
  private final List<CapacityRequest> asked = new ArrayList<>();
  private final DeploymentRequest web = DeploymentRequest.builder("web").label("app", "web").resources(1, 512).build();

  private final ContainerRuntime runtime =
      new ContainerRuntime() {
        @Override
        public CompletionStage<Void> create(Placement placement) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
          terminated.add(placement.containerId());
          return CompletableFuture.completedFuture(null);
        }
      };

  private Autoscaler autoscaler(ScalingConfig scaling, int nodes, AutoscalingPolicy policy) {
    for (int i = 0; i < nodes; i++) {
      cluster.putNode(NodeInfo.builder("n" + i).zone("z" + (i % 3)).allocatable(4, 4096, 0, 0).build());
    }
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster)
            .config(SchedulerConfig.builder().scaling(scaling).build())
            .runtime(runtime)
            .provisioner(asked::add)
            .ticker(time)
            .clock(time)
            .timers(time)
            .random(RandomSource.seeded(1))
            .build();
    Autoscaler a = Autoscaler.of(scheduler);
    a.register(web, policy);
    return a;
  }

  private void replicas(int n) {
    for (int i = 0; i < n; i++) {
      cluster.register("web-" + i, web, "n" + (i % cluster.nodeCount()));
    }
  }

  private static ScalingMetrics cpu(double utilisation) {
    return ScalingMetrics.builder().cpuUtilization(utilisation).build();
  }

  private static AutoscalingPolicy policy(int min, int max) {
    return AutoscalingPolicy.builder().minReplicas(min).maxReplicas(max).build(); // cpu target 0.75
  }

  @Test
  void withinTolerance_nothingChanges() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 4, policy(1, 10));
    replicas(4);
    ScalingDecision d = a.evaluate("web", cpu(0.80));
    assertThat(d.action()).isEqualTo(ScalingDecision.Action.NO_CHANGE);
    assertThat(d.reason()).isEqualTo("within tolerance");
    assertThat(d.perMetric()).containsEntry("cpu", 4);
  }

  @Test
  void outsideTolerance_scalesUpThroughTheScheduler() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 4, policy(1, 10));
    replicas(4);

    ScalingResult r = a.reconcile("web", cpu(0.90)).toCompletableFuture().join();

    assertThat(r.success()).isTrue();
    assertThat(r.action()).isEqualTo(ScalingDecision.Action.SCALE_UP);
    assertThat(r.previousReplicas()).isEqualTo(4);
    assertThat(r.targetReplicas()).isEqualTo(5);
    assertThat(r.currentReplicas()).isEqualTo(5);
    assertThat(r.created()).hasSize(1).allMatch(x -> x.success());
    assertThat(cluster.placementsOf("web")).hasSize(5);
    assertThat(r.decision().reason()).isEqualTo("scale up for cpu");
  }

  @Test
  void theMostConstrainedMetricWins_andScaleUpIsRateLimited() {
    Autoscaler a =
        autoscaler(
            ScalingConfig.defaults(),
            10,
            AutoscalingPolicy.builder().maxReplicas(50).target(ScalingMetrics.REQUESTS_PER_SECOND, 100).build());
    replicas(4);
    ScalingMetrics m = ScalingMetrics.builder().cpuUtilization(0.9).requestsPerSecond(1200).memoryUtilization(3).build();

    ScalingDecision d = a.evaluate("web", m);

    assertThat(d.perMetric()).containsEntry("cpu", 5).containsEntry("requests_per_second", 12);
    assertThat(d.perMetric()).doesNotContainKey("memory"); // no target for memory
    assertThat(d.recommendation()).isEqualTo(12);
    assertThat(d.desiredReplicas()).isEqualTo(8); // 100 % or 4 pods per 15 s from 4
    assertThat(d.reason()).isEqualTo("scale up for requests_per_second (limited by scale-up policy)");
  }

  @Test
  void scaleUpPolicy_countsWhatWasAddedInThePeriod() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 10, policy(1, 40));
    replicas(2);
    ScalingResult first = a.reconcile("web", cpu(3.0)).toCompletableFuture().join();
    assertThat(first.currentReplicas()).isEqualTo(6); // 2 + 4 pods (100 % would be 4)
    time.advance(Duration.ofSeconds(5));
    ScalingDecision held = a.evaluate("web", cpu(3.0));
    assertThat(held.desiredReplicas()).isEqualTo(6); // the period's budget is spent
    assertThat(held.reason()).isEqualTo("limited by scale-up policy");
    time.advance(Duration.ofSeconds(11));
    ScalingDecision next = a.evaluate("web", cpu(3.0));
    assertThat(next.desiredReplicas()).isEqualTo(12); // a new period: 100 % of 6
  }

  @Test
  void minAndMaxReplicasBoundTheRecommendation() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 4, policy(3, 5));
    replicas(4);
    assertThat(a.evaluate("web", cpu(5.0)).desiredReplicas()).isEqualTo(5);
    assertThat(a.evaluate("web", cpu(5.0)).reason()).isEqualTo("scale up for maxReplicas");
  }

  @Test
  void belowMinReplicas_scalesUpEvenWithoutMetrics() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 4, policy(3, 5));
    ScalingResult r = a.reconcile("web", ScalingMetrics.builder().build()).toCompletableFuture().join();
    assertThat(r.currentReplicas()).isEqualTo(3);
    assertThat(r.decision().reason()).isEqualTo("scale up for minReplicas");
  }

  @Test
  void scaleDownStabilization_holdsForTheWindowThenFollowsTheHighestRecentRecommendation() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 10, policy(1, 20));
    replicas(10);
    assertThat(a.evaluate("web", cpu(0.75)).desiredReplicas()).isEqualTo(10); // recorded: 10
    time.advance(Duration.ofSeconds(60));
    ScalingDecision dip = a.evaluate("web", cpu(0.30)); // wants 4
    assertThat(dip.recommendation()).isEqualTo(4);
    assertThat(dip.action()).isEqualTo(ScalingDecision.Action.NO_CHANGE);
    assertThat(dip.reason()).isEqualTo("held by scale-down stabilization");
    time.advance(Duration.ofSeconds(120));
    assertThat(a.evaluate("web", cpu(0.45)).desiredReplicas()).isEqualTo(10); // wants 6, 10 still in window
    time.advance(Duration.ofSeconds(121)); // 301 s after the first observation
    ScalingDecision later = a.evaluate("web", cpu(0.30));
    assertThat(later.recommendation()).isEqualTo(4);
    assertThat(later.desiredReplicas()).as("highest recommendation of the last 300 s").isEqualTo(6);
    time.advance(Duration.ofSeconds(300));
    assertThat(a.evaluate("web", cpu(0.30)).desiredReplicas()).isEqualTo(4);
  }

  @Test
  void noStabilization_scalesDownAtOnce() {
    ScalingConfig c = ScalingConfig.builder().scaleDownStabilization(Duration.ZERO).build();
    Autoscaler a = autoscaler(c, 10, policy(1, 20));
    replicas(10);
    assertThat(a.evaluate("web", cpu(0.75)).desiredReplicas()).isEqualTo(10);
    assertThat(a.evaluate("web", cpu(0.30)).desiredReplicas()).isEqualTo(4);
  }

  @Test
  void scaleUpStabilization_usesTheLowestRecentRecommendation() {
    ScalingConfig c = ScalingConfig.builder().scaleUpStabilization(Duration.ofSeconds(60)).build();
    Autoscaler a = autoscaler(c, 10, policy(1, 20));
    replicas(4);
    assertThat(a.evaluate("web", cpu(0.75)).desiredReplicas()).isEqualTo(4);
    time.advance(Duration.ofSeconds(10));
    ScalingDecision spike = a.evaluate("web", cpu(1.5));
    assertThat(spike.recommendation()).isEqualTo(8);
    assertThat(spike.desiredReplicas()).isEqualTo(4);
    assertThat(spike.reason()).isEqualTo("held by scale-up stabilization");
    time.advance(Duration.ofSeconds(55));
    assertThat(a.evaluate("web", cpu(1.5)).desiredReplicas()).isEqualTo(8);
  }

  @Test
  void scaleDownRatePolicy_stepsDown() {
    ScalingConfig c =
        ScalingConfig.builder()
            .scaleDownStabilization(Duration.ZERO)
            .scaleDownPolicies(List.of(ScalingPolicy.pods(2, Duration.ofSeconds(60))))
            .build();
    Autoscaler a = autoscaler(c, 10, policy(1, 20));
    replicas(10);
    ScalingResult r1 = a.reconcile("web", cpu(0.1)).toCompletableFuture().join();
    assertThat(r1.currentReplicas()).isEqualTo(8);
    assertThat(r1.terminated()).isEqualTo(2);
    time.advance(Duration.ofSeconds(30));
    assertThat(a.reconcile("web", cpu(0.1)).toCompletableFuture().join().currentReplicas()).isEqualTo(8);
    time.advance(Duration.ofSeconds(31));
    assertThat(a.reconcile("web", cpu(0.1)).toCompletableFuture().join().currentReplicas()).isEqualTo(6);
  }

  @Test
  void scaleDown_removesUnhealthyThenOldest_gracefully() {
    ScalingConfig c = ScalingConfig.builder().scaleDownStabilization(Duration.ZERO).build();
    Autoscaler a = autoscaler(c, 4, policy(1, 10));
    replicas(4); // web-0 (oldest) .. web-3
    time.advance(Duration.ofMinutes(5));
    cluster.setContainerHealthy("web-2", false);

    ScalingResult r = a.reconcile("web", cpu(0.375)).toCompletableFuture().join(); // wants 2

    assertThat(r.action()).isEqualTo(ScalingDecision.Action.SCALE_DOWN);
    assertThat(terminated).containsExactly("web-2", "web-0");
    assertThat(cluster.placementsOf("web")).extracting(Placement::containerId).containsExactly("web-1", "web-3");
    assertThat(r.terminated()).isEqualTo(2);
  }

  @Test
  void scaleDown_newestFirst_andUnhealthyWithinGraceCountsAsHealthy() {
    ScalingConfig c =
        ScalingConfig.builder().scaleDownStabilization(Duration.ZERO).scaleDownOrder(ScaleDownOrder.NEWEST_FIRST).build();
    Autoscaler a = autoscaler(c, 4, policy(1, 10));
    replicas(3);
    time.advance(Duration.ofSeconds(10));
    cluster.register("web-new", web, "n3"); // 10 s old at most: inside the 30 s grace
    cluster.setContainerHealthy("web-0", false); // but web-0 is 10 s old too
    a.reconcile("web", cpu(0.5625)).toCompletableFuture().join(); // 4 * 0.75 = 3

    assertThat(terminated).containsExactly("web-new");
  }

  @Test
  void scaleUp_withoutCapacity_asksTheNodeProvisioner() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 1, policy(1, 10)); // one 4-cpu node
    replicas(3);
    ScalingResult r = a.reconcile("web", cpu(1.5)).toCompletableFuture().join(); // wants 6

    assertThat(r.currentReplicas()).isEqualTo(4);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).reason()).isEqualTo(CapacityRequest.Reason.SCALE_UP);
    assertThat(asked.get(0).replicas()).isEqualTo(2);
  }

  @Test
  void unknownWorkload_andDisabledAutoscaling() {
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 1, policy(1, 10));
    ScalingResult r = a.reconcile("nope", cpu(1)).toCompletableFuture().join();
    assertThat(r.success()).isFalse();
    assertThat(r.error()).startsWith("deployment_not_found");
    assertThatThrownBy(() -> a.evaluate("nope", cpu(1))).isInstanceOf(IllegalArgumentException.class);

    Autoscaler off = autoscaler(ScalingConfig.builder().horizontalPodAutoscaler(false).build(), 0, policy(1, 10));
    assertThat(off.reconcile("web", cpu(5)).toCompletableFuture().join().success()).isFalse();
  }

  @Test
  void badPoliciesAndMetrics_failNamingTheField() {
    assertThatThrownBy(() -> AutoscalingPolicy.builder().minReplicas(5).maxReplicas(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autoscaling.minReplicas (5) must be <= autoscaling.maxReplicas (3)");
    assertThatThrownBy(() -> AutoscalingPolicy.builder().target("cpu", 0).build())
        .hasMessageContaining("autoscaling.targets.cpu");
    assertThatThrownBy(() -> ScalingMetrics.builder().cpuUtilization(Double.NaN).build())
        .hasMessageContaining("metrics.cpu");
    Autoscaler a = autoscaler(ScalingConfig.defaults(), 1, policy(1, 10));
    assertThatThrownBy(() -> a.register(web, AutoscalingPolicy.builder().target("latency_p99", 0.2).build()))
        .hasMessageContaining("unknown metric \"latency_p99\"");
    a.register(web, AutoscalingPolicy.builder().target("queue_length", 30).build()); // a seed custom metric
    assertThat(a.workloads()).containsExactly("web");
  }

  @Test
  void customMetric_perReplicaAverage() {
    Autoscaler a =
        autoscaler(
            ScalingConfig.defaults(), 4, AutoscalingPolicy.builder().targets(java.util.Map.of("queue_length", 30.0)).build());
    replicas(2);
    ScalingDecision d = a.evaluate("web", ScalingMetrics.builder().custom("queue_length", 90).build());
    assertThat(d.recommendation()).isEqualTo(6); // 2 * 90 / 30
    assertThat(d.desiredReplicas()).isEqualTo(6); // within max(100 % -> 4, 4 pods -> 6)
  }

  @Test
  void policyLoadsFromYaml() {
    AutoscalingPolicy p =
        io.orchestra.core.config.ConfigLoader.fromYaml(
            "minReplicas: 2\nmaxReplicas: 8\ntargets: {cpu: 0.6, requests_per_second: 50}\n", AutoscalingPolicy.class);
    assertThat(p.minReplicas()).isEqualTo(2);
    assertThat(p.targets()).containsEntry("cpu", 0.6).containsEntry("requests_per_second", 50.0);
  }
}
