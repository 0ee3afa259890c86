package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orchestra.core.time.VirtualTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables of filter semantics: which nodes a request may go to. */
class FilterTableTest {
  private final VirtualTime time = new VirtualTime();

  /** The nodes {@code request} may be placed on; cross-checked against check(). */
  static Set<String> feasible(WorkloadScheduler scheduler, DeploymentRequest request) {
    Set<String> out = new TreeSet<>(scheduler.feasibleNodes(request));
    assertThat(scheduler.check(request).isEmpty()).isEqualTo(!out.isEmpty());
    return out;
  }

  // ------------------------------------------------------------------ taints and tolerations

  static Stream<Arguments> taints() {
    Taint gpu = Taint.of("dedicated", "gpu", TaintEffect.NO_SCHEDULE);
    Taint gpuExec = Taint.of("dedicated", "gpu", TaintEffect.NO_EXECUTE);
    Taint gpuSoft = Taint.of("dedicated", "gpu", TaintEffect.PREFER_NO_SCHEDULE);
    Taint maintenance = Taint.of("maintenance", "", TaintEffect.NO_SCHEDULE);
    return Stream.of(
        arguments(gpu, List.of(), true, false),
        arguments(gpu, List.of(Toleration.equal("dedicated", "gpu", TaintEffect.NO_SCHEDULE)), true, true),
        arguments(gpu, List.of(Toleration.equal("dedicated", "gpu", null)), true, true),
        arguments(gpu, List.of(Toleration.equal("dedicated", "cpu", TaintEffect.NO_SCHEDULE)), true, false),
        arguments(gpu, List.of(Toleration.exists("dedicated", null)), true, true),
        arguments(gpu, List.of(Toleration.exists("dedicated", TaintEffect.PREFER_NO_SCHEDULE)), true, false),
        arguments(gpu, List.of(Toleration.exists("other", null)), true, false),
        arguments(gpu, List.of(Toleration.everything()), true, true),
        arguments(gpu, List.of(Toleration.of("dedicated", "Equal", "gpu", "NoSchedule")), true, true),
        arguments(gpuExec, List.of(Toleration.equal("dedicated", "gpu", TaintEffect.NO_SCHEDULE)), true, false),
        arguments(gpuExec, List.of(Toleration.equal("dedicated", "gpu", TaintEffect.NO_EXECUTE)), true, true),
        arguments(gpuExec, List.of(), true, false),
        arguments(gpuSoft, List.of(), true, true),
        arguments(maintenance, List.of(Toleration.exists("maintenance", TaintEffect.NO_SCHEDULE)), true, true),
        arguments(maintenance, List.of(Toleration.equal("maintenance", "", TaintEffect.NO_SCHEDULE)), true, true),
        arguments(maintenance, List.of(Toleration.equal("maintenance", "x", TaintEffect.NO_SCHEDULE)), true, false),
        // two tolerations, one of which matches
        arguments(
            gpu,
            List.of(Toleration.exists("other", null), Toleration.equal("dedicated", "gpu", null)),
            true,
            true),
        // taints switched off in the configuration
        arguments(gpu, List.of(), false, true),
        arguments(gpuExec, List.of(), false, true));
  }

  @ParameterizedTest(name = "{0} with {1} (taints on: {2}) -> {3}")
  @MethodSource("taints")
  void taintsAndTolerations(Taint taint, List<Toleration> tolerations, boolean taintsOn, boolean fits) {
    ClusterState cluster = new ClusterState(time).putNode(node("n1", "a", 4, 4096).taint(taint).build());
    SchedulerConfig config =
        SchedulerConfig.builder().scheduling(SchedulingConfig.builder().taints(taintsOn).build()).build();
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).config(config).build();
    DeploymentRequest.Builder b = DeploymentRequest.builder("w").resources(1, 1);
    tolerations.forEach(b::toleration);

    assertThat(feasible(scheduler, b.build())).isEqualTo(fits ? Set.of("n1") : Set.of());
  }

  // ------------------------------------------------------------------ node affinity and selectors

  static Stream<Arguments> nodeAffinity() {
    return Stream.of(
        arguments(List.of(LabelRequirement.in("disk", "ssd", "nvme")), true),
        arguments(List.of(LabelRequirement.in("disk", "hdd")), false),
        arguments(List.of(LabelRequirement.in("gpu", "x")), false),
        arguments(List.of(LabelRequirement.notIn("disk", "hdd")), true),
        arguments(List.of(LabelRequirement.notIn("disk", "ssd")), false),
        arguments(List.of(LabelRequirement.notIn("gpu", "x")), true),
        arguments(List.of(LabelRequirement.exists("disk")), true),
        arguments(List.of(LabelRequirement.exists("gpu")), false),
        arguments(List.of(LabelRequirement.doesNotExist("gpu")), true),
        arguments(List.of(LabelRequirement.doesNotExist("disk")), false),
        arguments(List.of(LabelRequirement.gt("cores", 8)), true),
        arguments(List.of(LabelRequirement.gt("cores", 16)), false),
        arguments(List.of(LabelRequirement.gt("cores", -3)), true),
        arguments(List.of(LabelRequirement.lt("cores", 32)), true),
        arguments(List.of(LabelRequirement.lt("cores", 16)), false),
        arguments(List.of(LabelRequirement.gt("disk", 1)), false), // not an integer
        arguments(List.of(LabelRequirement.gt("gpu", 1)), false), // missing
        arguments(List.of(LabelRequirement.lt("gpu", 1)), false),
        arguments(List.of(LabelRequirement.in("zone", "a")), true), // built-in key
        arguments(List.of(LabelRequirement.in("node", "n1")), true),
        arguments(List.of(LabelRequirement.notIn("zone", "a")), false),
        // requirements of one term are all needed
        arguments(List.of(LabelRequirement.in("disk", "ssd"), LabelRequirement.gt("cores", 20)), false),
        arguments(List.of(LabelRequirement.in("disk", "ssd"), LabelRequirement.gt("cores", 10)), true));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("nodeAffinity")
  void requiredNodeAffinityOperators(List<LabelRequirement> requirements, boolean fits) {
    ClusterState cluster =
        new ClusterState(time)
            .putNode(node("n1", "a", 4, 4096).label("disk", "ssd").label("cores", "16").build());
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    DeploymentRequest request =
        DeploymentRequest.builder("w")
            .resources(1, 1)
            .requiredNodeAffinity(new NodeSelectorTerm(requirements))
            .build();

    assertThat(feasible(scheduler, request)).isEqualTo(fits ? Set.of("n1") : Set.of());
  }

  @ParameterizedTest(name = "affinityRules off: {0} is ignored")
  @MethodSource("nodeAffinity")
  void requiredNodeAffinity_ignoredWhenAffinityRulesAreOff(List<LabelRequirement> requirements, boolean fits) {
    ClusterState cluster =
        new ClusterState(time)
            .putNode(node("n1", "a", 4, 4096).label("disk", "ssd").label("cores", "16").build());
    SchedulerConfig config =
        SchedulerConfig.builder().scheduling(SchedulingConfig.builder().affinityRules(false).build()).build();
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).config(config).build();
    DeploymentRequest request =
        DeploymentRequest.builder("w").resources(1, 1).requiredNodeAffinity(new NodeSelectorTerm(requirements)).build();

    assertThat(feasible(scheduler, request)).containsExactly("n1");
  }

  static Stream<Arguments> selectorsAndTerms() {
    DeploymentRequest.Builder base = DeploymentRequest.builder("w").resources(1, 1);
    return Stream.of(
        arguments("selector disk=ssd", base.build().toBuilder().nodeSelector("disk", "ssd").build(), Set.of("n1", "n3")),
        arguments(
            "selector disk=ssd,zone=b",
            base.build().toBuilder().nodeSelector("disk", "ssd").nodeSelector("zone", "b").build(),
            Set.of("n3")),
        arguments("selector on a missing key", base.build().toBuilder().nodeSelector("gpu", "yes").build(), Set.of()),
        arguments("selector on an unknown value", base.build().toBuilder().nodeSelector("disk", "tape").build(), Set.of()),
        arguments(
            "two node affinity terms are alternatives",
            base.build()
                .toBuilder()
                .requiredNodeAffinity(NodeSelectorTerm.of(LabelRequirement.in("disk", "hdd")))
                .requiredNodeAffinity(NodeSelectorTerm.of(LabelRequirement.in("zone", "b")))
                .build(),
            Set.of("n2", "n3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorsAndTerms")
  void nodeSelectorsAndTerms(String name, DeploymentRequest request, Set<String> expected) {
    ClusterState cluster =
        new ClusterState(time)
            .putNode(node("n1", "a", 4, 4096).label("disk", "ssd").build())
            .putNode(node("n2", "a", 4, 4096).label("disk", "hdd").build())
            .putNode(node("n3", "b", 4, 4096).label("disk", "ssd").build());
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), request)).isEqualTo(expected);
  }

  // ------------------------------------------------------------------ inter-workload affinity

  static Stream<Arguments> workloadAffinity() {
    LabelSelector db = LabelSelector.matching("app", "db");
    LabelSelector nothing = LabelSelector.matching("app", "nothing");
    return Stream.of(
        arguments("affinity db per node", req().requiredAffinity(WorkloadAffinityTerm.of(db, Topology.NODE)), Set.of("n1")),
        arguments("affinity db per zone", req().requiredAffinity(WorkloadAffinityTerm.of(db, Topology.ZONE)), Set.of("n1", "n2")),
        arguments("affinity db per rack", req().requiredAffinity(WorkloadAffinityTerm.of(db, "rack")), Set.of("n1")),
        arguments(
            "affinity db per missing key",
            req().requiredAffinity(WorkloadAffinityTerm.of(db, "row")),
            Set.of()),
        arguments(
            "anti-affinity db per node",
            req().requiredAntiAffinity(WorkloadAffinityTerm.of(db, Topology.NODE)),
            Set.of("n2", "n3", "n4")),
        arguments(
            "anti-affinity db per zone",
            req().requiredAntiAffinity(WorkloadAffinityTerm.of(db, Topology.ZONE)),
            Set.of("n3", "n4")),
        arguments(
            "anti-affinity db per rack (n4 has no rack)",
            req().requiredAntiAffinity(WorkloadAffinityTerm.of(db, "rack")),
            Set.of("n2", "n3", "n4")),
        arguments(
            "affinity to nothing placed",
            req().requiredAffinity(WorkloadAffinityTerm.of(nothing, Topology.ZONE)),
            Set.of()),
        arguments(
            "first replica of a self-selecting workload may go anywhere with the key",
            req().label("app", "nothing").requiredAffinity(WorkloadAffinityTerm.of(nothing, "rack")),
            Set.of("n1", "n2", "n3")),
        arguments(
            "placed workloads' anti-affinity repels the request (symmetry)",
            req().label("app", "api"),
            Set.of("n1", "n2", "n4")),
        arguments(
            "affinity and anti-affinity together",
            req()
                .requiredAffinity(WorkloadAffinityTerm.of(db, Topology.ZONE))
                .requiredAntiAffinity(WorkloadAffinityTerm.of(db, Topology.NODE)),
            Set.of("n2")),
        arguments(
            "selector with requirements",
            req()
                .requiredAntiAffinity(
                    WorkloadAffinityTerm.of(LabelSelector.of(LabelRequirement.in("app", "db", "cache")), Topology.ZONE)),
            Set.of("n4")));
  }

  private static DeploymentRequest.Builder req() {
    return DeploymentRequest.builder("w").label("app", "w").resources(1, 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloadAffinity")
  void interWorkloadAffinityOverTopologyKeys(String name, DeploymentRequest.Builder request, Set<String> expected) {
    ClusterState cluster =
        new ClusterState(time)
            .putNode(node("n1", "a", 4, 4096).label("rack", "r1").build())
            .putNode(node("n2", "a", 4, 4096).label("rack", "r2").build())
            .putNode(node("n3", "b", 4, 4096).label("rack", "r3").build())
            .putNode(node("n4", "c", 4, 4096).build());
    cluster.register("db-1", DeploymentRequest.builder("db").label("app", "db").resources(1, 1).build(), "n1");
    cluster.register(
        "cache-1",
        DeploymentRequest.builder("cache")
            .label("app", "cache")
            .resources(1, 1)
            .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "api"), Topology.ZONE))
            .build(),
        "n3");
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), request.build())).isEqualTo(expected);
  }

  // ------------------------------------------------------------------ spread

  static Stream<Arguments> spread() {
    return Stream.of(
        arguments(new int[] {2, 1, 1}, 1, Set.of("b", "c")),
        arguments(new int[] {1, 1, 1}, 1, Set.of("a", "b", "c")),
        arguments(new int[] {0, 0, 0}, 1, Set.of("a", "b", "c")),
        arguments(new int[] {2, 1, 0}, 1, Set.of("c")),
        arguments(new int[] {2, 1, 0}, 2, Set.of("b", "c")),
        arguments(new int[] {3, 3, 1}, 2, Set.of("c")),
        arguments(new int[] {3, 3, 1}, 3, Set.of("a", "b", "c")));
  }

  @ParameterizedTest(name = "zone counts {0}, maxSkew {1} -> zones {2}")
  @MethodSource("spread")
  void topologySpreadSkew(int[] counts, int maxSkew, Set<String> zones) {
    ClusterState cluster = new ClusterState(time);
    String[] names = {"a", "b", "c"};
    for (String z : names) {
      cluster.putNode(node("n-" + z, z, 64, 65536).build());
    }
    cluster.putNode(node("n-nozone", "", 64, 65536).build());
    DeploymentRequest web =
        DeploymentRequest.builder("web").label("app", "web").resources(1, 1).spread(TopologySpreadConstraint.hard(maxSkew, Topology.ZONE)).build();
    int id = 0;
    for (int z = 0; z < 3; z++) {
      for (int i = 0; i < counts[z]; i++) {
        cluster.register("web-" + id++, web, "n-" + names[z]);
      }
    }
    Set<String> expectedNodes = new TreeSet<>();
    zones.forEach(z -> expectedNodes.add("n-" + z));

    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), web)).isEqualTo(expectedNodes);

    DeploymentRequest anyway =
        DeploymentRequest.builder("web").label("app", "web").resources(1, 1).spread(TopologySpreadConstraint.soft(maxSkew, Topology.ZONE)).build();
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), anyway))
        .as("ScheduleAnyway never filters")
        .containsExactly("n-a", "n-b", "n-c", "n-nozone");
  }

  @ParameterizedTest(name = "spread with selector: {0}")
  @MethodSource("spread")
  void topologySpreadWithASelectorCountsOtherWorkloads(int[] counts, int maxSkew, Set<String> zones) {
    ClusterState cluster = new ClusterState(time);
    String[] names = {"a", "b", "c"};
    for (String z : names) {
      cluster.putNode(node("n-" + z, z, 64, 65536).build());
    }
    DeploymentRequest other = DeploymentRequest.builder("other").label("tier", "front").resources(1, 1).build();
    int id = 0;
    for (int z = 0; z < 3; z++) {
      for (int i = 0; i < counts[z]; i++) {
        cluster.register("o-" + id++, other, "n-" + names[z]);
      }
    }
    DeploymentRequest request =
        DeploymentRequest.builder("web")
            .label("tier", "front")
            .resources(1, 1)
            .spread(
                new TopologySpreadConstraint(
                    maxSkew,
                    Topology.ZONE,
                    TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE,
                    LabelSelector.matching("tier", "front")))
            .build();
    Set<String> expectedNodes = new TreeSet<>();
    zones.forEach(z -> expectedNodes.add("n-" + z));
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), request)).isEqualTo(expectedNodes);
  }

  // ------------------------------------------------------------------ health and capacity

  static Stream<Arguments> health() {
    return Stream.of(
        arguments(true, false, true),
        arguments(false, false, false),
        arguments(true, true, false),
        arguments(false, true, false));
  }

  @ParameterizedTest(name = "healthy {0}, cordoned {1} -> {2}")
  @MethodSource("health")
  void unhealthyAndCordonedNodes(boolean healthy, boolean cordoned, boolean fits) {
    ClusterState cluster =
        new ClusterState(time).putNode(node("n1", "a", 4, 4096).healthy(healthy).cordoned(cordoned).build());
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), req().build()))
        .isEqualTo(fits ? Set.of("n1") : Set.of());
  }

  static Stream<Arguments> capacity() {
    return Stream.of(
        arguments(Resources.of(4, 100, 10, 10), true),
        arguments(Resources.of(4.0001, 100, 10, 10), false),
        arguments(Resources.of(1, 101, 10, 10), false),
        arguments(Resources.of(1, 1, 11, 10), false),
        arguments(Resources.of(1, 1, 1, 10.5), false),
        arguments(Resources.ZERO, true));
  }

  @ParameterizedTest(name = "{0} on a 4/100/10/10 node with 0.5 cpu used -> {1}")
  @MethodSource("capacity")
  void capacityForEveryResource(Resources request, boolean fits) {
    ClusterState cluster = new ClusterState(time).putNode(NodeInfo.builder("n1").allocatable(4.5, 100, 10, 10).build());
    cluster.register("x", DeploymentRequest.builder("x").resources(0.5, 0).build(), "n1");
    DeploymentRequest r = DeploymentRequest.builder("w").resources(request).build();
    assertThat(feasible(Fixtures.scheduler(cluster, time).build(), r)).isEqualTo(fits ? Set.of("n1") : Set.of());
  }
}
