package io.orchestra.scheduler;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input fails with an IllegalArgumentException that names the field. */
class ValidationTest {

  static Stream<Arguments> badInput() {
    return Stream.of(
        arguments("negative cpu", (Runnable) () -> Resources.of(-1, 0), "cpu"),
        arguments("NaN memory", (Runnable) () -> Resources.of(1, Double.NaN), "memory"),
        arguments("infinite storage", (Runnable) () -> Resources.of(1, 1, Double.POSITIVE_INFINITY, 0), "storage"),
        arguments("negative network", (Runnable) () -> Resources.of(1, 1, 0, -0.5), "network"),
        arguments("empty workload name", (Runnable) () -> DeploymentRequest.builder("").build(), "request.workload"),
        arguments("blank workload name", (Runnable) () -> DeploymentRequest.builder("  ").build(), "request.workload"),
        arguments("empty node id", (Runnable) () -> NodeInfo.builder("").build(), "node.id"),
        arguments(
            "reserved node label",
            (Runnable) () -> NodeInfo.builder("n").label("zone", "a").build(),
            "node.labels"),
        arguments("health score above 1", (Runnable) () -> NodeInfo.builder("n").healthScore(1.5).build(), "node.healthScore"),
        arguments("unknown toleration effect", (Runnable) () -> Toleration.of("k", "Equal", "v", "NoRun"), "toleration.effect"),
        arguments("unknown toleration operator", (Runnable) () -> Toleration.of("k", "Like", "v", null), "toleration.operator"),
        arguments(
            "Equal toleration without key",
            (Runnable) () -> Toleration.equal("", "v", TaintEffect.NO_SCHEDULE),
            "toleration.key"),
        arguments(
            "Exists toleration with value",
            (Runnable) () -> new Toleration("k", Toleration.Operator.EXISTS, "v", null),
            "toleration.value"),
        arguments("unknown taint effect", (Runnable) () -> Taint.of("k", "v", "Sometimes"), "taint.effect"),
        arguments("blank taint key", (Runnable) () -> Taint.of(" ", "v", TaintEffect.NO_SCHEDULE), "taint.key"),
        arguments("In without values", (Runnable) () -> LabelRequirement.in("k"), "requirement.values"),
        arguments(
            "Gt with a non-integer",
            (Runnable) () -> new LabelRequirement("k", LabelRequirement.Operator.GT, List.of("big")),
            "requirement.values"),
        arguments(
            "Exists with values",
            (Runnable) () -> new LabelRequirement("k", LabelRequirement.Operator.EXISTS, List.of("x")),
            "requirement.values"),
        arguments("unknown requirement operator", (Runnable) () -> LabelRequirement.Operator.parse("Near"), "requirement.operator"),
        arguments("empty node selector term", (Runnable) () -> new NodeSelectorTerm(List.of()), "nodeSelectorTerm.requirements"),
        arguments(
            "preferred weight 0",
            (Runnable) () -> DeploymentRequest.builder("w").preferredNodeAffinity(0, NodeSelectorTerm.of(LabelRequirement.exists("k"))),
            "preferredNodeTerm.weight"),
        arguments("spread maxSkew 0", (Runnable) () -> TopologySpreadConstraint.hard(0, "zone"), "spread.maxSkew"),
        arguments("blank topology key", (Runnable) () -> WorkloadAffinityTerm.of(LabelSelector.matching("a", "b"), ""), "affinityTerm.topologyKey"),
        arguments(
            "null label value",
            (Runnable) () -> DeploymentRequest.builder("w").labels(java.util.Collections.singletonMap("k", null)).build(),
            "request.labels[k]"),
        arguments("negative resource weight", (Runnable) () -> ResourceWeights.builder().cpu(-0.1).build(), "scheduling.resourceWeights.cpu"),
        arguments(
            "all resource weights 0",
            (Runnable) () -> ResourceWeights.builder().cpu(0).memory(0).storage(0).network(0).build(),
            "scheduling.resourceWeights"),
        arguments("unknown algorithm", (Runnable) () -> Algorithm.parse("random"), "scheduling.algorithm"),
        arguments("target utilisation 1.5", (Runnable) () -> SchedulingConfig.builder().targetUtilization(1.5).build(), "scheduling.targetUtilization"),
        arguments(
            "negative score weight",
            (Runnable) () -> SchedulingConfig.builder().scoreWeights(Map.of("node_health", -1.0)).build(),
            "scheduling.scoreWeights.node_health"),
        arguments("zero runtime timeout", (Runnable) () -> SchedulingConfig.builder().runtimeTimeout(Duration.ZERO).build(), "scheduling.runtimeTimeout"),
        arguments("replication factor 0", (Runnable) () -> ResilienceConfig.builder().replicationFactor(0).build(), "resilience.replicationFactor"),
        arguments("negative max unavailable", (Runnable) () -> ResilienceConfig.builder().maxUnavailable(-1).build(), "resilience.maxUnavailable"),
        arguments(
            "no unavailability and no surge",
            (Runnable) () -> ResilienceConfig.builder().maxUnavailable(0).maxSurge(0).build(),
            "resilience.maxUnavailable"),
        arguments("tolerance above 1", (Runnable) () -> ScalingConfig.builder().tolerance(1.5).build(), "scaling.tolerance"),
        arguments(
            "negative stabilization",
            (Runnable) () -> ScalingConfig.builder().scaleDownStabilization(Duration.ofSeconds(-1)).build(),
            "scaling.scaleDownStabilization"),
        arguments("scaling policy of 0 pods", (Runnable) () -> ScalingPolicy.pods(0, Duration.ofSeconds(15)), "scalingPolicy.value"),
        arguments(
            "no scale-up policy",
            (Runnable) () -> ScalingConfig.builder().scaleUpPolicies(List.of()).build(),
            "scaling.scaleUpPolicies"),
        arguments("replicas 0", (Runnable) () -> new ClusterChange.AddReplicas(DeploymentRequest.builder("w").build(), 0), "count"));
  }

  @ParameterizedTest(name = "{0} -> names {2}")
  @MethodSource("badInput")
  void badInput_failsNamingTheField(String name, Runnable action, String field) {
    assertThatThrownBy(action::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
  }

  @ParameterizedTest(name = "ClusterState: {0}")
  @MethodSource("clusterMisuse")
  void clusterState_misuse(String name, java.util.function.Consumer<ClusterState> action, String message) {
    ClusterState cluster = new ClusterState();
    cluster.putNode(NodeInfo.builder("n1").allocatable(1, 1, 0, 0).build());
    cluster.register("c1", DeploymentRequest.builder("w").build(), "n1");
    assertThatThrownBy(() -> action.accept(cluster)).hasMessageContaining(message);
  }

  static Stream<Arguments> clusterMisuse() {
    return Stream.of(
        arguments(
            "register on an unknown node",
            (java.util.function.Consumer<ClusterState>) c -> c.register("c2", DeploymentRequest.builder("w").build(), "n9"),
            "nodeId n9"),
        arguments(
            "register a duplicate id",
            (java.util.function.Consumer<ClusterState>) c -> c.register("c1", DeploymentRequest.builder("w").build(), "n1"),
            "containerId c1"),
        arguments(
            "remove a node that holds placements",
            (java.util.function.Consumer<ClusterState>) c -> c.removeNode("n1"),
            "still holds 1 placements"),
        arguments("cordon an unknown node", (java.util.function.Consumer<ClusterState>) c -> c.setCordoned("n9", true), "nodeId n9"));
  }
}
