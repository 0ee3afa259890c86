package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Eight threads scheduling into a nearly full cluster at once. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private final VirtualTime time = new VirtualTime();

  /** A runtime that checks, at every creation, that no node is over its allocatable. */
  private static final class CheckingRuntime implements ContainerRuntime {
    private final ClusterState cluster;
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger created = new AtomicInteger();

    CheckingRuntime(ClusterState cluster) {
      this.cluster = cluster;
    }

    @Override
    public CompletionStage<Void> create(Placement placement) {
      created.incrementAndGet();
      for (NodeStatus n : cluster.nodes()) {
        if (!n.used().fitsIn(n.info().allocatable().times(1 + 1e-9))) {
          violations.add(n.id() + " uses " + n.used() + " of " + n.info().allocatable());
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private static List<SchedulingResult> race(WorkloadScheduler scheduler, int perThread, java.util.function.IntFunction<DeploymentRequest> request)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<SchedulingResult>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  List<SchedulingResult> out = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    out.add(scheduler.schedule(request.apply(thread * perThread + i)).toCompletableFuture().join());
                  }
                  return out;
                }));
      }
      ready.await();
      go.countDown();
      List<SchedulingResult> all = new ArrayList<>();
      for (Future<List<SchedulingResult>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  @RepeatedTest(3)
  void eightThreads_intoANearlyFullCluster_neverOverCommit() throws Exception {
    ClusterState cluster = new ClusterState(time);
    DeploymentRequest filler = DeploymentRequest.builder("filler").resources(3, 3000).build();
    for (int i = 0; i < 50; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 3), 4, 4000).build());
      cluster.register("filler-" + i, filler, "n" + i);
    }
    CheckingRuntime runtime = new CheckingRuntime(cluster);
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster).runtime(runtime).ticker(time).clock(time).timers(time).build();
    // 50 nodes with 1 cpu and 1000 memory left: room for exactly 100 half-cpu containers; 160 try.
    List<SchedulingResult> results =
        race(scheduler, 20, i -> DeploymentRequest.builder("w" + (i % 4)).resources(0.5, 300).build());

    assertThat(runtime.violations).isEmpty();
    long placed = results.stream().filter(SchedulingResult::success).count();
    assertThat(placed).isEqualTo(100);
    assertThat(results.stream().filter(r -> !r.success()))
        .allMatch(r -> r.failure() == SchedulingResult.Failure.UNSCHEDULABLE);
    for (NodeStatus n : cluster.nodes()) {
      assertThat(n.used().cpu()).isLessThanOrEqualTo(4.0 + 1e-9);
      assertThat(n.used().memory()).isLessThanOrEqualTo(4000.0);
      assertThat(n.placements()).isEqualTo(3);
    }
  }

  @Test
  void eightThreads_withRequiredAntiAffinity_placeAtMostOnePerNode() throws Exception {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < 30; i++) {
      // Distinct health scores: every thread prefers the same free node, so racing decisions
      // collide (and only the validated commit keeps them apart).
      cluster.putNode(node("n" + i, "z" + (i % 3), 64, 65536).healthScore(0.5 + i / 100.0).build());
    }
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster).random(RandomSource.seeded(7)).ticker(time).clock(time).timers(time).build();
    DeploymentRequest ha =
        DeploymentRequest.builder("ha")
            .label("app", "ha")
            .resources(1, 1)
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "ha"), Topology.NODE))
            .build();

    List<SchedulingResult> results = race(scheduler, 10, i -> ha);

    assertThat(results.stream().filter(SchedulingResult::success)).hasSize(30);
    Map<String, Integer> perNode = new ConcurrentHashMap<>();
    cluster.placementsOf("ha").forEach(p -> perNode.merge(p.nodeId(), 1, Integer::sum));
    assertThat(perNode).hasSize(30).allSatisfy((node, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void eightThreads_withHardZoneSpread_keepTheSkew() throws Exception {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < 12; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 3), 64, 65536).build());
    }
    List<Integer> skews = new CopyOnWriteArrayList<>();
    ContainerRuntime skewChecking =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            // every consistent snapshot must respect the skew: each commit was validated
            Map<String, Integer> perZone = new java.util.HashMap<>(Map.of("z0", 0, "z1", 0, "z2", 0));
            for (Placement p : cluster.placementsOf("s")) {
              perZone.merge(cluster.node(p.nodeId()).orElseThrow().info().zone(), 1, Integer::sum);
            }
            int skew = java.util.Collections.max(perZone.values()) - java.util.Collections.min(perZone.values());
            if (skew > 1) {
              skews.add(skew);
            }
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            return CompletableFuture.completedFuture(null);
          }
        };
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster).runtime(skewChecking).ticker(time).clock(time).timers(time).build();
    DeploymentRequest spread =
        DeploymentRequest.builder("s").resources(1, 1).spread(TopologySpreadConstraint.hard(1, Topology.ZONE)).build();
    List<SchedulingResult> results = race(scheduler, 12, i -> spread);

    assertThat(results).allMatch(SchedulingResult::success);
    Map<String, Integer> perZone = new ConcurrentHashMap<>();
    for (Placement p : cluster.placementsOf("s")) {
      perZone.merge(cluster.node(p.nodeId()).orElseThrow().info().zone(), 1, Integer::sum);
    }
    assertThat(perZone.values()).containsOnly(32);
    assertThat(skews).isEmpty();
    assertThat(Set.copyOf(perZone.keySet())).containsExactlyInAnyOrder("z0", "z1", "z2");
  }
}
