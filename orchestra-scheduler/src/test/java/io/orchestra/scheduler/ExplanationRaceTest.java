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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An explanation is built without the lock, after the decision that nothing fits: a node that
 * another thread removes meanwhile must not make it fail. A filter plugin pauses the explanation
 * at a known point (its second call on the node "other": the first is the filter pass) while the
 * test removes the node "gone", which the explanation has already counted.
 */
class ExplanationRaceTest {
  private final VirtualTime time = new VirtualTime();

  @Test
  @DisplayName("a cordoned node removed while the explanation is built: counted, no fix, no exception")
  void check_cordonedNodeRemovedDuringExplanation_explains() throws Exception {
    Unschedulable why =
        checkWhileRemoving(
            node("gone", "a", 4, 8192).cordoned(true).build(),
            DeploymentRequest.builder("web").resources(1, 1).build());

    assertThat(why.rejection("node_health").reasons()).containsEntry("node cordoned", 1);
    assertThat(why.rejection("rejects_other").nodes()).isEqualTo(1);
  }

  @Test
  @DisplayName("a node failing the selector removed while the explanation is built: counted, no exception")
  void check_selectorFailingNodeRemovedDuringExplanation_explains() throws Exception {
    Unschedulable why =
        checkWhileRemoving(
            node("gone", "a", 4, 8192).label("disk", "hdd").build(),
            DeploymentRequest.builder("web").resources(1, 1).nodeSelector("disk", "ssd").build());

    assertThat(why.rejection("node_selector").nodes()).isEqualTo(1);
  }

  /** Checks {@code request} against "gone" and "other" (with label disk=ssd), removing "gone" midway. */
  private Unschedulable checkWhileRemoving(NodeInfo gone, DeploymentRequest request) throws Exception {
    ClusterState cluster = new ClusterState(time);
    cluster.putNode(gone);
    cluster.putNode(node("other", "a", 4, 8192).label("disk", "ssd").build());
    CountDownLatch explaining = new CountDownLatch(1);
    CountDownLatch removed = new CountDownLatch(1);
    AtomicInteger callsOnOther = new AtomicInteger();
    FilterPlugin rejectsOther =
        new FilterPlugin() {
          @Override
          public String name() {
            return "rejects_other";
          }

          @Override
          public boolean accepts(DeploymentRequest r, NodeView node) {
            if (!"other".equals(node.info().id())) {
              return true;
            }
            if (callsOnOther.incrementAndGet() == 2) {
              explaining.countDown();
              await(removed);
            }
            return false;
          }
        };
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).filter(rejectsOther).build();

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<Unschedulable>> check = pool.submit(() -> scheduler.check(request));
      assertThat(explaining.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.removeNode(gone.id())).isTrue();
      removed.countDown();
      return check.get(10, TimeUnit.SECONDS).orElseThrow();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
