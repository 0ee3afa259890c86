package io.orchestra.scheduler;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Shared helpers for building clusters and schedulers in tests. */
final class Fixtures {
  private Fixtures() {}

  static NodeInfo.Builder node(String id, String zone, double cpu, double memory) {
    return NodeInfo.builder(id).zone(zone).allocatable(cpu, memory, 0, 0);
  }

  static WorkloadScheduler.Builder scheduler(ClusterState cluster, VirtualTime time) {
    return WorkloadScheduler.builder(cluster)
        .ticker(time)
        .clock(time)
        .timers(time)
        .random(RandomSource.seeded(42));
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** A runtime answering {@code create} and {@code terminate} with the given functions. */
  static ContainerRuntime runtime(
      Function<Placement, CompletionStage<Void>> create,
      BiFunction<Placement, Duration, CompletionStage<Void>> terminate) {
    return new ContainerRuntime() {
      @Override
      public CompletionStage<Void> create(Placement placement) {
        return create.apply(placement);
      }

      @Override
      public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
        return terminate.apply(placement, gracePeriod);
      }
    };
  }
}
