package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The filter pass and the explanation of an unschedulable request run without the store's lock: a
 * node that another thread removes meanwhile must not make them fail, and an explanation during
 * which it was removed is not returned (it would mix the states before and after): the check is
 * made again on the state without it. A filter plugin pauses the scheduler at a known point while
 * the test removes the node "gone", which the scheduler has already looked at.
 */
class NodeRemovalRaceTest {
  private final VirtualTime time = new VirtualTime();

  @Test
  @DisplayName("a cordoned node removed while the explanation is built: no exception, explained on the state without it")
  void check_cordonedNodeRemovedDuringExplanation_explainsTheStateAfter() throws Exception {
    Unschedulable why =
        checkWhileRemoving(
            node("gone", "a", 4, 8192).cordoned(true).build(),
            DeploymentRequest.builder("web").resources(1, 1).build());

    assertThat(why.nodes()).isEqualTo(1);
    assertThat(why.rejection("node_health")).isNull();
    assertThat(why.rejection("rejects_other").nodes()).isEqualTo(1);
    assertThat(why.fixes()).isEmpty();
  }

  @Test
  @DisplayName("a node failing the selector removed while the explanation is built: no exception, explained on the state without it")
  void check_selectorFailingNodeRemovedDuringExplanation_explainsTheStateAfter() throws Exception {
    Unschedulable why =
        checkWhileRemoving(
            node("gone", "a", 4, 8192).label("disk", "hdd").build(),
            DeploymentRequest.builder("web").resources(1, 1).nodeSelector("disk", "ssd").build());

    assertThat(why.nodes()).isEqualTo(1);
    assertThat(why.rejection("node_selector")).isNull();
    assertThat(why.rejection("rejects_other").nodes()).isEqualTo(1);
  }

  /**
   * Checks {@code request} against "gone" and "other" (with label disk=ssd), removing "gone" while
   * the explanation is being built: the plugin pauses on its second call on "other" (the first is
   * the filter pass), and later calls (the check made again) do not pause.
   */
  private Unschedulable checkWhileRemoving(NodeInfo gone, DeploymentRequest request) throws Exception {
    ClusterState cluster = new ClusterState(time);
    cluster.putNode(gone);
    cluster.putNode(node("other", "a", 4, 8192).label("disk", "ssd").build());
    CountDownLatch explaining = new CountDownLatch(1);
    CountDownLatch removed = new CountDownLatch(1);
    AtomicInteger callsOnOther = new AtomicInteger();
    FilterPlugin rejectsOther =
        filter(
            "rejects_other",
            node -> {
              if (!"other".equals(node.info().id())) {
                return true;
              }
              if (callsOnOther.incrementAndGet() == 2) {
                explaining.countDown();
                await(removed);
              }
              return false;
            });
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

  @Test
  @DisplayName("a node removed after the built-in filters passed it never reaches a plugin, and is not chosen")
  void schedule_nodeRemovedBeforePluginsRun_pluginNeverSeesIt() throws Exception {
    ClusterState cluster = new ClusterState(time);
    cluster.putNode(node("gone", "a", 4, 8192).build());
    cluster.putNode(node("other", "a", 4, 8192).build());
    CountDownLatch filtering = new CountDownLatch(1);
    CountDownLatch removed = new CountDownLatch(1);
    // The first plugin pauses on "other", after it has passed "gone"; the second then judges
    // "gone", removed meanwhile, by its label.
    FilterPlugin pauses =
        filter(
            "pauses",
            node -> {
              if ("other".equals(node.id()) && filtering.getCount() > 0) {
                filtering.countDown();
                await(removed);
              }
              return true;
            });
    List<String> seen = new CopyOnWriteArrayList<>();
    FilterPlugin readsLabels =
        filter(
            "reads_labels",
            node -> {
              seen.add(node.id());
              return !"old".equals(node.label("gen"));
            });
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).filter(pauses).filter(readsLabels).build();

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SchedulingResult> result =
          pool.submit(() -> Fixtures.join(scheduler.schedule(DeploymentRequest.builder("web").resources(1, 1).build())));
      assertThat(filtering.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.removeNode("gone")).isTrue();
      removed.countDown();

      assertThat(result.get(10, TimeUnit.SECONDS).nodeId()).isEqualTo("other");
      assertThat(seen).containsOnly("other");
    } finally {
      pool.shutdownNow();
    }
  }

  /** A filter plugin named {@code name} that accepts the nodes {@code accepts} accepts. */
  private static FilterPlugin filter(String name, Predicate<NodeView> accepts) {
    return new FilterPlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean accepts(DeploymentRequest request, NodeView node) {
        return accepts.test(node);
      }
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
