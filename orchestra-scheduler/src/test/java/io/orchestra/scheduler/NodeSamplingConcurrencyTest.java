package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Eight threads into a nearly full cluster large enough for decisions to stop early (250 nodes:
 * each looks for 120), racing on the shared search start as well as on the nodes.
 */
class NodeSamplingConcurrencyTest {
  private static final int THREADS = 8;
  private final VirtualTime time = new VirtualTime();

  @RepeatedTest(3)
  void eightThreads_sampling_neverOverCommit_andFillEveryNode() throws Exception {
    ClusterState cluster = new ClusterState(time);
    DeploymentRequest filler = DeploymentRequest.builder("filler").resources(3, 3000).build();
    for (int i = 0; i < 250; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 5), 4, 4000).build());
      cluster.register("filler-" + i, filler, "n" + i);
    }
    List<String> violations = new CopyOnWriteArrayList<>();
    ContainerRuntime checking =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            for (NodeStatus n : cluster.nodes()) {
              if (!n.used().fitsIn(n.info().allocatable().times(1 + 1e-9))) {
                violations.add(n.id() + " uses " + n.used());
              }
            }
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            return CompletableFuture.completedFuture(null);
          }
        };
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster).runtime(checking).ticker(time).clock(time).timers(time).build();
    DeploymentRequest half = DeploymentRequest.builder("w").resources(0.5, 300).build();

    // 250 nodes with 1 cpu left: room for exactly 500 half-cpu containers; 560 try.
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<SchedulingResult>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  List<SchedulingResult> out = new ArrayList<>();
                  for (int i = 0; i < 70; i++) {
                    out.add(scheduler.schedule(half).toCompletableFuture().join());
                  }
                  return out;
                }));
      }
      go.countDown();
      List<SchedulingResult> all = new ArrayList<>();
      for (Future<List<SchedulingResult>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(violations).isEmpty();
      assertThat(all.stream().filter(SchedulingResult::success)).hasSize(500);
      assertThat(all.stream().filter(r -> !r.success()))
          .allMatch(r -> r.failure() == SchedulingResult.Failure.UNSCHEDULABLE && r.unschedulable().nodes() == 250);
      assertThat(cluster.nodes()).allSatisfy(n -> assertThat(n.placements()).isEqualTo(3));
    } finally {
      pool.shutdownNow();
    }
  }
}
