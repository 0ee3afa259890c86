package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code scheduling.percentageOfNodesToScore}: a decision stops filtering once it found enough
 * feasible nodes and scores only those, starting where the previous decision stopped.
 */
class NodeSamplingTest {
  private final VirtualTime time = new VirtualTime();

  /** A score plugin that records every node it is asked about (one call per scored node). */
  private static final class Recorder implements ScorePlugin {
    final List<String> scored = new ArrayList<>();

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public double score(DeploymentRequest request, NodeView node) {
      scored.add(node.info().id());
      return 50;
    }
  }

  private static ClusterState cluster(VirtualTime time, int nodes) {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < nodes; i++) {
      cluster.putNode(node(String.format("n%04d", i), "z" + (i % 10), 64, 65_536).build());
    }
    return cluster;
  }

  private WorkloadScheduler scheduler(ClusterState cluster, SchedulingConfig config, ScorePlugin plugin) {
    WorkloadScheduler.Builder b =
        Fixtures.scheduler(cluster, time).config(SchedulerConfig.builder().scheduling(config).build());
    if (plugin != null) {
      b.score(plugin, 1.0);
    }
    return b.build();
  }

  private static final DeploymentRequest SMALL = DeploymentRequest.builder("small").resources(0.1, 1).build();

  static Stream<Arguments> shares() {
    Algorithm mc = Algorithm.MULTI_CONSTRAINT;
    return Stream.of(
        arguments(0, mc, 0, 0),
        arguments(0, mc, 50, 50), // small clusters are searched in full
        arguments(0, mc, 99, 99),
        arguments(0, mc, 100, 100), // 49 % of 100, raised to the minimum of 100
        arguments(0, mc, 1_000, 420), // 50 - 8 = 42 %
        arguments(0, mc, 5_000, 500), // 50 - 40 = 10 %
        arguments(0, mc, 10_000, 500), // floor of 5 %
        arguments(0, mc, 100_000, 5_000),
        arguments(0, Algorithm.BIN_PACKING, 5_000, 5_000), // adaptive: bin packing stays exact
        arguments(0, Algorithm.ROUND_ROBIN, 5_000, 5_000),
        arguments(100, mc, 5_000, 5_000),
        arguments(30, mc, 1_000, 300),
        arguments(1, mc, 5_000, 100), // at least 100 nodes
        arguments(50, Algorithm.BIN_PACKING, 1_000, 500));
  }

  @ParameterizedTest(name = "{0} % of {2} nodes with {1}: {3}")
  @MethodSource("shares")
  void nodesToFind_followsKubernetesFormula(int percentage, Algorithm algorithm, int nodes, int expected) {
    SchedulingConfig c = SchedulingConfig.builder().algorithm(algorithm).percentageOfNodesToScore(percentage).build();
    assertThat(c.nodesToFind(nodes)).isEqualTo(expected);
  }

  @Test
  void config_defaultsToAdaptive_loadsFromYaml_andRejectsOutOfRangeValuesNamingTheField() {
    assertThat(SchedulingConfig.defaults().percentageOfNodesToScore()).isZero();
    SchedulerConfig loaded =
        ConfigLoader.fromYaml("scheduling:\n  percentageOfNodesToScore: 25\n", SchedulerConfig.class);
    assertThat(loaded.scheduling().percentageOfNodesToScore()).isEqualTo(25);
    assertThat(loaded.scheduling().toBuilder().build()).isEqualTo(loaded.scheduling());
    for (int bad : new int[] {-1, 101}) {
      assertThatThrownBy(() -> SchedulingConfig.builder().percentageOfNodesToScore(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("scheduling.percentageOfNodesToScore")
          .hasMessageContaining("was " + bad);
    }
    assertThatThrownBy(() -> ConfigLoader.fromYaml("scheduling:\n  percentageOfNodesToScore: 150\n", SchedulerConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scheduling.percentageOfNodesToScore");
  }

  @Test
  @DisplayName("the adaptive default scores 42 % of 1,000 nodes; 100 % and bin packing score all")
  void scoredNodes_perDecision() {
    int[][] cases = {{0, 420}, {100, 1_000}, {30, 300}};
    for (int[] c : cases) {
      Recorder r = new Recorder();
      WorkloadScheduler s =
          scheduler(cluster(time, 1_000), SchedulingConfig.builder().percentageOfNodesToScore(c[0]).build(), r);
      assertThat(join(s.schedule(SMALL)).success()).isTrue();
      assertThat(r.scored).as("%s %%", c[0]).hasSize(c[1]).doesNotHaveDuplicates();
    }
    Recorder packing = new Recorder();
    WorkloadScheduler s =
        scheduler(cluster(time, 1_000), SchedulingConfig.builder().algorithm(Algorithm.BIN_PACKING).build(), packing);
    join(s.schedule(SMALL));
    assertThat(packing.scored).hasSize(1_000);
  }

  @Test
  void searchStartsWhereThePreviousStopped_soEveryNodeIsConsideredOverTime() {
    Recorder r = new Recorder();
    WorkloadScheduler s = scheduler(cluster(time, 1_000), SchedulingConfig.defaults(), r);
    List<Set<String>> samples = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      r.scored.clear();
      join(s.schedule(SMALL));
      samples.add(new HashSet<>(r.scored));
    }
    // 420 + 420 + 160 of the 1,000 before the third wraps around: the first two never overlap.
    assertThat(samples.get(0)).doesNotContainAnyElementsOf(samples.get(1));
    Set<String> all = new HashSet<>();
    samples.forEach(all::addAll);
    assertThat(all).hasSize(1_000);
  }

  @Test
  void fewFeasibleNodes_areFoundBeyondTheSample_andNothingFitting_isExplainedOverEveryNode() {
    ClusterState cluster = cluster(time, 1_000);
    for (int i = 997; i < 1_000; i++) {
      String id = String.format("n%04d", i);
      cluster.store().modifyNode(id, n -> NodeInfo.builder(id).zone(n.zone()).allocatable(64, 65_536, 0, 0).label("disk", "ssd").build());
    }
    WorkloadScheduler s = scheduler(cluster, SchedulingConfig.defaults(), null);
    DeploymentRequest ssd =
        DeploymentRequest.builder("db")
            .label("app", "db")
            .resources(1, 1)
            .nodeSelector("disk", "ssd")
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "db"), Topology.NODE))
            .build();
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      SchedulingResult r = join(s.schedule(ssd));
      assertThat(r.success()).as(r.error()).isTrue();
      used.add(r.nodeId());
    }
    assertThat(used).containsExactlyInAnyOrder("n0997", "n0998", "n0999");
    SchedulingResult none = join(s.schedule(ssd));
    assertThat(none.success()).isFalse();
    assertThat(none.unschedulable().nodes()).isEqualTo(1_000);
    assertThat(none.error()).contains("node_selector rejected 997").contains("workload_anti_affinity rejected 3");
    assertThat(s.feasibleNodes(SMALL)).hasSize(1_000); // listing stays exact
  }

  @Test
  void requiredZoneAntiAffinity_holdsForEveryPlacementWhileSampling() {
    WorkloadScheduler s = scheduler(cluster(time, 1_000), SchedulingConfig.defaults(), null);
    DeploymentRequest ha =
        DeploymentRequest.builder("ha")
            .label("app", "ha")
            .resources(1, 1)
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "ha"), Topology.ZONE))
            .build();
    Set<String> zones = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      SchedulingResult r = join(s.schedule(ha));
      assertThat(r.success()).as(r.error()).isTrue();
      assertThat(zones.add(s.cluster().node(r.nodeId()).orElseThrow().info().zone())).isTrue();
    }
    SchedulingResult eleventh = join(s.schedule(ha));
    assertThat(eleventh.success()).isFalse();
    assertThat(eleventh.unschedulable().nodes()).isEqualTo(1_000);
  }

  @Test
  void simulate_givesTheSameAnswerWhereverRealDecisionsLeftTheSearch() {
    ClusterState cluster = cluster(time, 1_000);
    WorkloadScheduler s = scheduler(cluster, SchedulingConfig.defaults(), null);
    List<ClusterChange> changes = List.of(ClusterChange.addReplicas(SMALL, 5));
    List<String> before = nodesOf(s.simulate(changes));
    for (int i = 0; i < 2; i++) {
      String id = join(s.schedule(SMALL)).containerId(); // moves the real search start
      cluster.remove(id);
    }
    assertThat(nodesOf(s.simulate(changes))).isEqualTo(before);
  }

  private static List<String> nodesOf(SimulationResult r) {
    List<String> out = new ArrayList<>();
    r.placements().forEach(p -> out.add(p.nodeId()));
    return out;
  }
}
