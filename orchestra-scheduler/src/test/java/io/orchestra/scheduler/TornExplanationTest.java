package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An explanation made without the lock reads counts that other threads change: when a placement
 * that made a filter reject a node is removed while the explanation is built, the filter's own
 * reason or fix finds nothing failing any more. That explanation is of no one state and is
 * discarded; it must not fail the decision. A filter plugin pauses the explanation at the point
 * where the anti-affinity filter has judged the only node and its fix is still to come.
 */
class TornExplanationTest {
  private final VirtualTime time = new VirtualTime();

  private static final DeploymentRequest WEB =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 1)
          .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.NODE))
          .build();

  @Test
  @DisplayName("schedule: the blocking replica removed while the explanation is built; decided again, and placed")
  void schedule_blockerRemovedDuringExplanation_decidesAgain() throws Exception {
    ClusterState cluster = new ClusterState(time);
    WorkloadScheduler scheduler = pausingScheduler(cluster);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SchedulingResult> r = pool.submit(() -> Fixtures.join(scheduler.schedule(WEB)));
      removeBlockerWhilePaused(cluster);
      assertThat(r.get(10, TimeUnit.SECONDS).nodeId()).isEqualTo("a1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("check: the blocking replica removed while the explanation is built; checked again, and fits")
  void check_blockerRemovedDuringExplanation_checksAgain() throws Exception {
    ClusterState cluster = new ClusterState(time);
    WorkloadScheduler scheduler = pausingScheduler(cluster);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<Unschedulable>> r = pool.submit(() -> scheduler.check(WEB));
      removeBlockerWhilePaused(cluster);
      assertThat(r.get(10, TimeUnit.SECONDS)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private final CountDownLatch explaining = new CountDownLatch(1);
  private final CountDownLatch removed = new CountDownLatch(1);

  /** Node a1 holding web-1; the plugin is reached only by the explanation (a1 fails anti-affinity). */
  private WorkloadScheduler pausingScheduler(ClusterState cluster) {
    cluster.putNode(node("a1", "a", 4, 4096).build());
    cluster.register("web-1", WEB, "a1");
    AtomicBoolean paused = new AtomicBoolean();
    FilterPlugin pauses =
        new FilterPlugin() {
          @Override
          public String name() {
            return "pauses";
          }

          @Override
          public boolean accepts(DeploymentRequest request, NodeView n) {
            if (paused.compareAndSet(false, true)) {
              explaining.countDown();
              try {
                removed.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return true;
          }
        };
    return Fixtures.scheduler(cluster, time).filter(pauses).build();
  }

  private void removeBlockerWhilePaused(ClusterState cluster) throws InterruptedException {
    assertThat(explaining.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cluster.remove("web-1")).isPresent();
    removed.countDown();
  }
}
