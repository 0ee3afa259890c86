package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which node wins, for each score and algorithm. */
class ScoringTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);

  private WorkloadScheduler scheduler(Algorithm algorithm, Map<String, Double> weights) {
    SchedulerConfig config =
        SchedulerConfig.builder()
            .scheduling(SchedulingConfig.builder().algorithm(algorithm).scoreWeights(weights).build())
            .build();
    return Fixtures.scheduler(cluster, time).config(config).build();
  }

  private String place(WorkloadScheduler s, DeploymentRequest r) {
    SchedulingResult result = join(s.schedule(r));
    assertThat(result.success()).as(String.valueOf(result.error())).isTrue();
    return result.nodeId();
  }

  /** Three identical 10-cpu nodes, filled to 2, 5 and 8 cpu; the request takes 2.5 cpu. */
  private void threeNodesFilledTo2_5_8() {
    for (String id : List.of("low", "mid", "high")) {
      cluster.putNode(NodeInfo.builder(id).zone("a").allocatable(10, 0, 0, 0).build());
    }
    DeploymentRequest filler = DeploymentRequest.builder("filler").resources(1, 0).build();
    int k = 0;
    for (int i = 0; i < 2; i++) {
      cluster.register("f" + k++, filler, "low");
    }
    for (int i = 0; i < 5; i++) {
      cluster.register("f" + k++, filler, "mid");
    }
    for (int i = 0; i < 7; i++) {
      cluster.register("f" + k++, filler, "high");
    }
  }

  private static final DeploymentRequest CPU_2_5 = DeploymentRequest.builder("w").resources(2.5, 0).build();

  @Test
  void multiConstraint_prefersUtilisationNearTheTarget() {
    threeNodesFilledTo2_5_8(); // after placing: 0.45, 0.75, 0.95
    assertThat(place(scheduler(Algorithm.MULTI_CONSTRAINT, Map.of()), CPU_2_5)).isEqualTo("mid");
  }

  @Test
  void binPacking_prefersTheFullestNodeThatFits() {
    threeNodesFilledTo2_5_8();
    assertThat(place(scheduler(Algorithm.BIN_PACKING, Map.of()), CPU_2_5)).isEqualTo("high");
  }

  @Test
  void leastAllocatedAlone_prefersTheEmptiestNode() {
    threeNodesFilledTo2_5_8();
    WorkloadScheduler s =
        scheduler(Algorithm.MULTI_CONSTRAINT, Map.of("resource_target", 0.0, "least_allocated", 1.0));
    assertThat(place(s, CPU_2_5)).isEqualTo("low");
  }

  @Test
  void resourceTargetAlone_scoresTheSeedsFormula() {
    threeNodesFilledTo2_5_8();
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, onlyScore("resource_target"));
    SchedulingResult r = join(s.schedule(CPU_2_5));
    assertThat(r.nodeId()).isEqualTo("mid");
    assertThat(r.score()).isCloseTo(100.0, within(1e-9)); // exactly at 0.75
  }

  @Test
  void weightsAreNormalised_scalingThemChangesNothing() {
    threeNodesFilledTo2_5_8();
    ClusterState copy = cluster.copy();
    SchedulingResult a = join(scheduler(Algorithm.MULTI_CONSTRAINT, Map.of()).schedule(CPU_2_5));
    Map<String, Double> tenfold = new java.util.HashMap<>();
    SchedulingConfig.defaultScoreWeights(Algorithm.MULTI_CONSTRAINT).forEach((k, v) -> tenfold.put(k, v * 10));
    SchedulerConfig config =
        SchedulerConfig.builder().scheduling(SchedulingConfig.builder().scoreWeights(tenfold).build()).build();
    SchedulingResult b = join(Fixtures.scheduler(copy, time).config(config).build().schedule(CPU_2_5));
    assertThat(b.nodeId()).isEqualTo(a.nodeId());
    assertThat(b.score()).isCloseTo(a.score(), within(1e-9));
    assertThat(a.score()).isBetween(0.0, 100.0);
  }

  @Test
  void balancedAllocation_prefersEvenUtilisation() {
    cluster.putNode(NodeInfo.builder("even").allocatable(10, 1000, 0, 0).build());
    cluster.putNode(NodeInfo.builder("skewed").allocatable(10, 1000, 0, 0).build());
    cluster.register("x", DeploymentRequest.builder("x").resources(0, 400).build(), "skewed");
    cluster.register("y", DeploymentRequest.builder("y").resources(2, 200).build(), "even");
    // after 2 cpu / 200 memory: even -> 0.4/0.4, skewed -> 0.2/0.6
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, onlyScore("balanced_allocation"));
    assertThat(place(s, DeploymentRequest.builder("w").resources(2, 200).build())).isEqualTo("even");
  }

  @Test
  void preferredNodeAffinity_winsOverNothing() {
    cluster.putNode(node("plain", "a", 4, 4096).build());
    cluster.putNode(node("ssd", "a", 4, 4096).label("disk", "ssd").build());
    DeploymentRequest r =
        DeploymentRequest.builder("w").resources(1, 1)
            .preferredNodeAffinity(50, NodeSelectorTerm.of(LabelRequirement.in("disk", "ssd")))
            .build();
    assertThat(place(scheduler(Algorithm.MULTI_CONSTRAINT, Map.of()), r)).isEqualTo("ssd");
  }

  @Test
  void preferredAffinityAndAntiAffinity() {
    cluster.putNode(node("with-cache", "a", 4, 4096).build());
    cluster.putNode(node("with-batch", "b", 4, 4096).build());
    cluster.putNode(node("empty", "c", 4, 4096).build());
    cluster.register("cache-1", DeploymentRequest.builder("cache").label("app", "cache").resources(1, 1).build(), "with-cache");
    cluster.register("batch-1", DeploymentRequest.builder("batch").label("app", "batch").resources(1, 1).build(), "with-batch");
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, onlyScore("workload_affinity"));
    DeploymentRequest nearCache =
        DeploymentRequest.builder("w").resources(1, 1)
            .preferredAffinity(80, WorkloadAffinityTerm.of(LabelSelector.matching("app", "cache"), Topology.NODE))
            .build();
    assertThat(place(s, nearCache)).isEqualTo("with-cache");
    DeploymentRequest awayFromBatch =
        DeploymentRequest.builder("v").resources(1, 1)
            .preferredAntiAffinity(80, WorkloadAffinityTerm.of(LabelSelector.matching("app", "batch"), Topology.ZONE))
            .preferredAntiAffinity(20, WorkloadAffinityTerm.of(LabelSelector.matching("app", "cache"), Topology.ZONE))
            .build();
    assertThat(place(s, awayFromBatch)).isEqualTo("empty");
  }

  @Test
  void preferNoScheduleTaint_isAvoidedWhenPossible() {
    cluster.putNode(node("tainted", "a", 4, 4096).taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE).build());
    cluster.putNode(node("clean", "a", 4, 4096).build());
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, Map.of());
    assertThat(place(s, DeploymentRequest.builder("w").resources(1, 1).build())).isEqualTo("clean");
    // tolerating it makes the two equal again: both get used
    DeploymentRequest tolerant =
        DeploymentRequest.builder("t").resources(1, 1).toleration(Toleration.exists("spot", null)).build();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      nodes.add(place(s, tolerant));
    }
    assertThat(nodes).containsExactlyInAnyOrder("tainted", "clean");
  }

  @Test
  void defaultSpread_putsReplicasOnDifferentNodesAndZones() {
    for (int i = 0; i < 6; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 3), 16, 16384).build());
    }
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, Map.of());
    List<SchedulingResult> results = join(s.deploy(DeploymentRequest.builder("web").resources(1, 128).build(), 6));
    assertThat(results.stream().map(SchedulingResult::nodeId).distinct()).hasSize(6);
    List<SchedulingResult> three = join(s.deploy(DeploymentRequest.builder("api").resources(1, 128).build(), 3));
    assertThat(three.stream().map(r -> cluster.node(r.nodeId()).orElseThrow().info().zone()).distinct()).hasSize(3);
  }

  @Test
  void softSpread_prefersTheLeastUsedZone() {
    for (String z : List.of("a", "b", "c")) {
      cluster.putNode(node("n-" + z, z, 64, 65536).build());
    }
    DeploymentRequest web =
        DeploymentRequest.builder("web").resources(1, 1).spread(TopologySpreadConstraint.soft(1, Topology.ZONE)).build();
    cluster.register("w1", web, "n-a");
    cluster.register("w2", web, "n-a");
    cluster.register("w3", web, "n-b");
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, onlyScore("topology_spread"));
    assertThat(place(s, web)).isEqualTo("n-c");
  }

  @Test
  void nodeHealth_prefersTheHealthierNode() {
    cluster.putNode(node("flaky", "a", 4, 4096).healthScore(0.4).build());
    cluster.putNode(node("solid", "a", 4, 4096).healthScore(1.0).build());
    assertThat(place(scheduler(Algorithm.MULTI_CONSTRAINT, Map.of()), DeploymentRequest.builder("w").resources(1, 1).build()))
        .isEqualTo("solid");
  }

  @Test
  void roundRobin_cyclesThroughFeasibleNodesInOrder() {
    for (int i = 0; i < 3; i++) {
      cluster.putNode(node("n" + i, "a", 4, 4096).build());
    }
    cluster.putNode(node("n3", "a", 4, 4096).cordoned(true).build());
    WorkloadScheduler s = scheduler(Algorithm.ROUND_ROBIN, Map.of());
    assertThat(s.scoreWeights()).isEmpty();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      nodes.add(place(s, DeploymentRequest.builder("w").resources(0.1, 1).build()));
    }
    assertThat(nodes).containsExactly("n0", "n1", "n2", "n0", "n1", "n2", "n0");
  }

  @Test
  void ties_areBrokenAcrossAllEqualNodes() {
    for (int i = 0; i < 4; i++) {
      cluster.putNode(node("n" + i, "a", 100, 100_000).build());
    }
    WorkloadScheduler s = scheduler(Algorithm.MULTI_CONSTRAINT, onlyScore("node_health"));
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 40; i++) {
      seen.add(place(s, DeploymentRequest.builder("w" + i).resources(0.1, 1).build()));
    }
    assertThat(seen).hasSize(4);
  }

  private static Map<String, Double> onlyScore(String name) {
    Map<String, Double> w = new java.util.HashMap<>();
    SchedulingConfig.BUILT_IN_SCORES.forEach(s -> w.put(s, 0.0));
    w.put(name, 1.0);
    return w;
  }
}
