package io.orchestra.scheduler.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random metric streams on virtual time: the replica count stays within min/max, never grows
 * faster than the default scale-up policy allows (100 % or 4 pods per 15 s), and never drops below
 * the highest recommendation of the last 300 s.
 */
class AutoscalerProperties {

  record Step(double cpu, int seconds) {}

  @Provide
  Arbitrary<List<Step>> streams() {
    Arbitrary<Double> cpu = Arbitraries.doubles().between(0, 3).ofScale(2);
    Arbitrary<Integer> seconds = Arbitraries.integers().between(1, 120);
    return Combinators.combine(cpu, seconds).as(Step::new).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 100)
  void replicasStayBoundedRateLimitedAndStabilized(
      @ForAll("streams") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 4) int min,
      @ForAll @IntRange(min = 0, max = 20) int extra) {
    int max = min + extra;
    VirtualTime time = new VirtualTime();
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < 10; i++) {
      cluster.putNode(NodeInfo.builder("n" + i).zone("z" + (i % 3)).allocatable(64, 65536, 0, 0).build());
    }
    WorkloadScheduler scheduler = WorkloadScheduler.builder(cluster).ticker(time).clock(time).timers(time).build();
    Autoscaler autoscaler = Autoscaler.of(scheduler);
    DeploymentRequest web = DeploymentRequest.builder("web").resources(1, 1).build();
    autoscaler.register(web, AutoscalingPolicy.builder().minReplicas(min).maxReplicas(max).build());

    List<long[]> history = new ArrayList<>(); // {nanos, replicas after}
    List<long[]> recommendations = new ArrayList<>(); // {nanos, recommendation}
    for (Step step : steps) {
      ScalingResult r =
          autoscaler.reconcile("web", ScalingMetrics.builder().cpuUtilization(step.cpu()).build()).toCompletableFuture().join();
      long now = time.read();
      int replicas = autoscaler.replicas("web");
      recommendations.add(new long[] {now, r.decision().recommendation()});
      if (r.previousReplicas() >= min && r.previousReplicas() <= max) {
        assertThat(replicas).isBetween(min, max);
      }
      if (replicas < r.previousReplicas()) {
        long highest = 0;
        for (long[] rec : recommendations) {
          if (now - rec[0] < Duration.ofSeconds(300).toNanos()) {
            highest = Math.max(highest, rec[1]);
          }
        }
        assertThat((long) replicas).as("not below the highest recent recommendation").isGreaterThanOrEqualTo(Math.min(highest, r.previousReplicas()));
      }
      // scale-up rate: within any 15 s, from the count at the window's start
      long windowStart = now - Duration.ofSeconds(15).toNanos();
      long startCount = -1;
      for (long[] h : history) {
        if (h[0] <= windowStart) {
          startCount = h[1];
        }
      }
      if (startCount >= 1) {
        assertThat((long) replicas).isLessThanOrEqualTo(Math.max(startCount * 2, startCount + 4));
      }
      history.add(new long[] {now, replicas});
      time.advance(Duration.ofSeconds(step.seconds()));
    }
  }
}
