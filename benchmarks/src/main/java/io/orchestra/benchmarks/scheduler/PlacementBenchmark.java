package io.orchestra.benchmarks.scheduler;

import io.orchestra.core.time.RandomSource;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.SchedulingConfig;
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
 * Placement throughput on clusters of 100, 1,000 and 5,000 nodes: one operation removes the
 * oldest pod and places a new one, so the cluster stays in a steady state with as many pods as
 * nodes (see {@link Scenario}). Pods per second = 1e9 / (ns/op). {@code orchestra} is {@link
 * WorkloadScheduler#schedule} with the default configuration (multi-constraint scores, the
 * adaptive {@code percentageOfNodesToScore}: 10 % of the nodes at 5,000) and a no-op runtime;
 * {@code orchestraExact} is the same with {@code percentageOfNodesToScore: 100}, filtering and
 * scoring every node as the seed does; {@code seedLiteral} is the seed's algorithm as written
 * (score every node, sort), the baseline. Each method sets up only its own state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PlacementBenchmark {
  @Param({"100", "1000", "5000"})
  public int nodes;

  @Param({"basic", "selectors_taints", "anti_affinity", "spread"})
  public String scenario;

  /** Orchestra's scheduler in the steady state. */
  @State(Scope.Benchmark)
  public static class Orchestra {
    Scenario input;
    WorkloadScheduler scheduler;
    ClusterState cluster;
    final ArrayDeque<String> placed = new ArrayDeque<>();
    long next;

    /** The scheduling configuration under test: the defaults. */
    SchedulingConfig config() {
      return SchedulingConfig.defaults();
    }

    /** Builds the cluster and fills it to the steady state. */
    @Setup
    public void setUp(PlacementBenchmark params) {
      input = new Scenario(params.scenario, params.nodes);
      cluster = new ClusterState();
      input.nodes.forEach(cluster::putNode);
      scheduler =
          WorkloadScheduler.builder(cluster)
              .config(SchedulerConfig.builder().scheduling(config()).build())
              .random(RandomSource.seeded(1))
              .build();
      for (next = 0; next < input.steadyPods; next++) {
        placed.addLast(place(input.template(next)));
      }
    }

    String place(DeploymentRequest r) {
      SchedulingResult result = scheduler.schedule(r).toCompletableFuture().join();
      if (!result.success()) {
        throw new IllegalStateException(result.error());
      }
      return result.containerId();
    }
  }

  /** Orchestra filtering and scoring every node ({@code percentageOfNodesToScore: 100}). */
  public static class OrchestraExact extends Orchestra {
    @Override
    SchedulingConfig config() {
      return SchedulingConfig.builder().percentageOfNodesToScore(100).build();
    }
  }

  /** The seed's literal algorithm in the same steady state. */
  @State(Scope.Benchmark)
  public static class Seed {
    Scenario input;
    SeedLiteralScheduler seed;
    final ArrayDeque<SeedLiteralScheduler.Pod> placed = new ArrayDeque<>();
    long next;

    /** Builds the model and fills it to the steady state. */
    @Setup
    public void setUp(PlacementBenchmark params) {
      input = new Scenario(params.scenario, params.nodes);
      seed = new SeedLiteralScheduler(input.nodes);
      for (next = 0; next < input.steadyPods; next++) {
        placed.addLast(place(input.template(next)));
      }
    }

    SeedLiteralScheduler.Pod place(DeploymentRequest r) {
      SeedLiteralScheduler.Pod p = seed.schedule(r);
      if (p == null) {
        throw new IllegalStateException("seed baseline found no node for " + r.workload());
      }
      return p;
    }
  }

  @Benchmark
  public String orchestra(Orchestra s) {
    s.cluster.remove(s.placed.pollFirst());
    String id = s.place(s.input.template(s.next++));
    s.placed.addLast(id);
    return id;
  }

  @Benchmark
  public String orchestraExact(OrchestraExact s) {
    return orchestra(s);
  }

  @Benchmark
  public SeedLiteralScheduler.Pod seedLiteral(Seed s) {
    s.seed.remove(s.placed.pollFirst());
    SeedLiteralScheduler.Pod p = s.place(s.input.template(s.next++));
    s.placed.addLast(p);
    return p;
  }
}
