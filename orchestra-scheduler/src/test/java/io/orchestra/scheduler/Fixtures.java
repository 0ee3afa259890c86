package io.orchestra.scheduler;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import java.util.concurrent.CompletionStage;

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
}
