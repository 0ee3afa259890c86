package io.orchestra.benchmarks.scheduler;

import io.orchestra.core.time.RandomSource;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placement throughput on clusters of 1,000 and 5,000 nodes: one operation removes the oldest pod
 * and places a new one, so the cluster stays in a steady state with as many pods as nodes (see
 * {@link Scenario}). Pods per second = 1e9 / (ns/op). {@code orchestra} is {@link
 * WorkloadScheduler#schedule} with the default multi-constraint scores and a no-op runtime;
 * {@code seedLiteral} is the seed's algorithm as written (score every node, sort), the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PlacementBenchmark {
  @Param({"1000", "5000"})
  public int nodes;

  @Param({"basic", "selectors_taints", "anti_affinity", "spread"})
  public String scenario;

  private Scenario input;
  private WorkloadScheduler scheduler;
  private ClusterState cluster;
  private final ArrayDeque<String> placed = new ArrayDeque<>();
  private long next;

  private SeedLiteralScheduler seed;
  private final ArrayDeque<SeedLiteralScheduler.Pod> seedPlaced = new ArrayDeque<>();
  private long seedNext;

  @Setup
  public void setUp() {
    input = new Scenario(scenario, nodes);
    cluster = new ClusterState();
    input.nodes.forEach(cluster::putNode);
    scheduler = WorkloadScheduler.builder(cluster).random(RandomSource.seeded(1)).build();
    for (next = 0; next < input.steadyPods; next++) {
      placed.addLast(place(input.template(next)));
    }
    seed = new SeedLiteralScheduler(input.nodes);
    for (seedNext = 0; seedNext < input.steadyPods; seedNext++) {
      seedPlaced.addLast(seedPlace(input.template(seedNext)));
    }
  }

  private String place(DeploymentRequest r) {
    SchedulingResult result = scheduler.schedule(r).toCompletableFuture().join();
    if (!result.success()) {
      throw new IllegalStateException(result.error());
    }
    return result.containerId();
  }

  private SeedLiteralScheduler.Pod seedPlace(DeploymentRequest r) {
    SeedLiteralScheduler.Pod p = seed.schedule(r);
    if (p == null) {
      throw new IllegalStateException("seed baseline found no node for " + r.workload());
    }
    return p;
  }

  @Benchmark
  public String orchestra() {
    cluster.remove(placed.pollFirst());
    String id = place(input.template(next++));
    placed.addLast(id);
    return id;
  }

  @Benchmark
  public SeedLiteralScheduler.Pod seedLiteral() {
    seed.remove(seedPlaced.pollFirst());
    SeedLiteralScheduler.Pod p = seedPlace(input.template(seedNext++));
    seedPlaced.addLast(p);
    return p;
  }
}
