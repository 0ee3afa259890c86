package io.orchestra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link SchedulerProperties}' invariants on clusters large enough for a decision to stop early
 * (100 to 400 nodes, every share of them): each placement satisfies every required constraint,
 * nothing is over-committed, and a node is found exactly when the {@link ReferenceModel} says one
 * exists, however few fit and wherever the search starts.
 */
class NodeSamplingProperties {
  private final SchedulerProperties shapes = new SchedulerProperties();

  @Provide
  Arbitrary<List<NodeInfo>> shapes() {
    return shapes.nodes().list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<DeploymentRequest>> workloads() {
    return shapes.workloads();
  }

  @Provide
  Arbitrary<Integer> percentages() {
    return Arbitraries.of(0, 1, 10, 30, 100);
  }

  @Property(tries = 40)
  void sampledDecisions_placeOnlyOnFeasibleNodes_andFindOneWheneverOneExists(
      @ForAll("shapes") List<NodeInfo> nodeShapes,
      @ForAll @IntRange(min = 100, max = 400) int nodes,
      @ForAll("workloads") List<DeploymentRequest> requests,
      @ForAll("percentages") int percentage,
      @ForAll boolean binPacking,
      @ForAll long seed) {
    VirtualTime time = new VirtualTime();
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < nodes; i++) {
      NodeInfo shape = nodeShapes.get(i % nodeShapes.size());
      cluster.putNode(
          new NodeInfo(
              "n" + i, shape.zone(), shape.labels(), shape.taints(), shape.allocatable(), shape.healthy(), shape.cordoned(), 1.0));
    }
    SchedulingConfig sc =
        SchedulingConfig.builder()
            .algorithm(binPacking ? Algorithm.BIN_PACKING : Algorithm.MULTI_CONSTRAINT)
            .percentageOfNodesToScore(percentage)
            .build();
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster)
            .config(SchedulerConfig.builder().scheduling(sc).build())
            .ticker(time)
            .clock(time)
            .timers(time)
            .random(RandomSource.seeded(seed))
            .build();
    // Many rounds of the same workloads fill the cluster, so that late requests fit on few nodes.
    for (int round = 0; round < 4; round++) {
      for (DeploymentRequest r : requests) {
        Set<String> expected = new ReferenceModel(cluster, sc).feasible(r);
        SchedulingResult result = scheduler.schedule(r).toCompletableFuture().join();
        if (expected.isEmpty()) {
          assertThat(result.success()).isFalse();
          assertThat(result.unschedulable().nodes()).isEqualTo(nodes);
        } else {
          assertThat(result.success()).as("%s should fit one of %s: %s", r, expected, result.error()).isTrue();
          assertThat(expected).contains(result.nodeId());
        }
      }
      assertThat(ReferenceModel.overCommitted(cluster)).isEmpty();
    }
  }
}
