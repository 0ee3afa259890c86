package io.orchestra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void defaults_areTheSeeds() {
    SchedulerConfig c = SchedulerConfig.defaults();
    assertThat(c.scheduling().algorithm()).isEqualTo(Algorithm.MULTI_CONSTRAINT);
    assertThat(c.scheduling().resourceWeights()).isEqualTo(new ResourceWeights(0.4, 0.3, 0.2, 0.1));
    assertThat(c.scheduling().affinityRules()).isTrue();
    assertThat(c.scheduling().antiAffinityRules()).isTrue();
    assertThat(c.scheduling().taints()).isTrue();
    assertThat(c.scheduling().targetUtilization()).isEqualTo(0.75);
    assertThat(c.scaling().horizontalPodAutoscaler()).isTrue();
    assertThat(c.scaling().clusterAutoscaler()).isTrue();
    assertThat(c.scaling().customMetrics()).containsExactly("request_rate", "queue_length", "cpu_utilization");
    assertThat(c.scaling().tolerance()).isEqualTo(0.1);
    assertThat(c.scaling().scaleDownStabilization()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.scaling().scaleUpStabilization()).isEqualTo(Duration.ZERO);
    assertThat(c.resilience().replicationFactor()).isEqualTo(3);
    assertThat(c.resilience().maxUnavailable()).isEqualTo(1);
    assertThat(c.resilience().maxSurge()).isEqualTo(1);
    assertThat(c.resilience().healthCheckGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.resilience().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void yaml_inTheSeedsShape_loadsThroughCoresConfigLoader() {
    String yaml =
        String.join(
            "\n",
            "scheduling:",
            "  algorithm: bin_packing",
            "  resourceWeights: {cpu: 0.5, memory: 0.5, storage: 0, network: 0}",
            "  affinityRules: true",
            "  antiAffinityRules: false",
            "  taints: true",
            "  scoreWeights: {node_health: 3}",
            "  runtimeTimeout: 90s",
            "scaling:",
            "  clusterAutoscaler: false",
            "  customMetrics: [queue_length]",
            "  tolerance: 0.05",
            "  scaleDownStabilization: 10m",
            "  scaleUpPolicies:",
            "    - {type: Pods, value: 2, period: 30s}",
            "  scaleDownSelect: Min",
            "  scaleDownOrder: newest_first",
            "resilience:",
            "  replicationFactor: 5",
            "  maxUnavailable: 2",
            "  healthCheckGracePeriod: 30000",
            "");
    SchedulerConfig c = ConfigLoader.fromYaml(yaml, SchedulerConfig.class);
    assertThat(c.scheduling().algorithm()).isEqualTo(Algorithm.BIN_PACKING);
    assertThat(c.scheduling().resourceWeights()).isEqualTo(new ResourceWeights(0.5, 0.5, 0, 0));
    assertThat(c.scheduling().antiAffinityRules()).isFalse();
    assertThat(c.scheduling().scoreWeights()).containsEntry("node_health", 3.0);
    assertThat(c.scheduling().effectiveScoreWeights()).containsEntry("most_allocated", 5.0).containsEntry("node_health", 3.0);
    assertThat(c.scheduling().runtimeTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.scaling().clusterAutoscaler()).isFalse();
    assertThat(c.scaling().customMetrics()).containsExactly("queue_length");
    assertThat(c.scaling().tolerance()).isEqualTo(0.05);
    assertThat(c.scaling().scaleDownStabilization()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.scaling().scaleUpPolicies()).containsExactly(ScalingPolicy.pods(2, Duration.ofSeconds(30)));
    assertThat(c.scaling().scaleDownSelect()).isEqualTo(SelectPolicy.MIN);
    assertThat(c.scaling().scaleDownOrder()).isEqualTo(ScaleDownOrder.NEWEST_FIRST);
    assertThat(c.resilience().replicationFactor()).isEqualTo(5);
    assertThat(c.resilience().maxUnavailable()).isEqualTo(2);
    assertThat(c.resilience().maxSurge()).isEqualTo(1);
    assertThat(c.resilience().healthCheckGracePeriod()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void json_partial_keepsDefaults() {
    SchedulerConfig c = ConfigLoader.fromJson("{\"scheduling\":{\"algorithm\":\"round_robin\"}}", SchedulerConfig.class);
    assertThat(c.scheduling().algorithm()).isEqualTo(Algorithm.ROUND_ROBIN);
    assertThat(c.scheduling().effectiveScoreWeights()).isEmpty();
    assertThat(c.resilience()).isEqualTo(ResilienceConfig.defaults());
  }

  @Test
  void invalidValues_failNamingTheField() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("scaling:\n  tolerance: 3\n", SchedulerConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scaling.tolerance");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("scheduling:\n  algorithm: fastest\n", SchedulerConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scheduling.algorithm");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("scheduling:\n  verticalPodAutoscaler: true\n", SchedulerConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("verticalPodAutoscaler");
  }

  @Test
  void toBuilder_roundTrips() {
    SchedulingConfig s = SchedulingConfig.builder().algorithm(Algorithm.BIN_PACKING).scoreWeight("node_health", 2).build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
    ScalingConfig sc = ScalingConfig.builder().scaleDownPolicies(List.of(ScalingPolicy.pods(1, Duration.ofMinutes(1)))).build();
    assertThat(sc.toBuilder().build()).isEqualTo(sc);
  }
}
