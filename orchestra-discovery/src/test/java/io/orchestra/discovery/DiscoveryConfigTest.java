package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiscoveryConfigTest {

  @Test
  void defaultsAreTheSeeds() {
    DiscoveryConfig c = DiscoveryConfig.defaults();
    assertThat(c.mechanisms()).containsExactlyInAnyOrder(Mechanism.DNS, Mechanism.REGISTRY, Mechanism.MESH);
    assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.failureThreshold()).isEqualTo(3);
    assertThat(c.algorithm()).isEqualTo(LoadBalancing.WEIGHTED_ROUND_ROBIN);
    assertThat(c.healthScoring()).isTrue();
    assertThat(c.latencyWeighting()).isTrue();
    assertThat(c.geographicPreference()).isTrue();
    assertThat(c.circuitBreakerEnabled()).isTrue();
    assertThat(c.retryPolicy()).isEqualTo("exponential_backoff");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxRetries()).isEqualTo(3);
    assertThat(c.healthWeight() + c.performanceWeight() + c.proximityWeight() + c.loadWeight())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void loadsFromYamlWithTheSeedsNames() {
    DiscoveryConfig c =
        ConfigLoader.fromYaml(
            """
            mechanisms: [dns, registry]
            refreshInterval: 15s
            healthCheckInterval: 2500ms
            failureThreshold: 5
            algorithm: least_connections
            serviceAlgorithms:
              sessions: consistent_hash
              payments: p2c
            geographicPreference: false
            circuitBreaker:
              failureRateThreshold: 25
            timeout: 1s
            maxRetries: 1
            """,
            DiscoveryConfig.class);
    assertThat(c.mechanisms()).isEqualTo(EnumSet.of(Mechanism.DNS, Mechanism.REGISTRY));
    assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.failureThreshold()).isEqualTo(5);
    assertThat(c.algorithmFor("orders")).isEqualTo(LoadBalancing.LEAST_CONNECTIONS);
    assertThat(c.algorithmFor("sessions")).isEqualTo(LoadBalancing.CONSISTENT_HASH);
    assertThat(c.algorithmFor("payments")).isEqualTo(LoadBalancing.POWER_OF_TWO_CHOICES);
    assertThat(c.geographicPreference()).isFalse();
    assertThat(c.circuitBreaker().failureRateThreshold()).isEqualTo(25f);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.healthScoring()).isTrue(); // untouched default
  }

  @Test
  void jsonErrorsNameTheProperty() {
    assertThatThrownBy(() -> ConfigLoader.fromJson("{\"failureThreshold\": 0}", DiscoveryConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("discovery.failureThreshold")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> ConfigLoader.fromJson("{\"algorithm\": \"random\"}", DiscoveryConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("random");
    assertThatThrownBy(() -> ConfigLoader.fromJson("{\"mechanisms\": [\"carrier-pigeon\"]}", DiscoveryConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("carrier-pigeon");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("discovery.refreshInterval", b -> b.refreshInterval(Duration.ZERO)),
        bad("discovery.refreshJitter", b -> b.refreshJitter(1.0)),
        bad("discovery.maxStale", b -> b.maxStale(Duration.ofSeconds(-1))),
        bad("discovery.healthCheckInterval", b -> b.healthCheckInterval(null)),
        bad("healthCheck.path", b -> b.healthCheckPath("health")),
        bad("discovery.failureThreshold", b -> b.failureThreshold(-2)),
        bad("discovery.healthyThreshold", b -> b.healthyThreshold(0)),
        bad("discovery.algorithm", b -> b.algorithm(null)),
        bad("discovery.healthWeight", b -> b.healthWeight(1.5)),
        bad("score weights", b -> b.healthWeight(0).performanceWeight(0).proximityWeight(0).loadWeight(0)),
        bad("discovery.outlierErrorRate", b -> b.outlierErrorRate(0)),
        bad("discovery.maxEjectionTime", b -> b.maxEjectionTime(Duration.ofSeconds(1))),
        bad("discovery.maxEjectionPercent", b -> b.maxEjectionPercent(101)),
        bad("discovery.panicThreshold", b -> b.panicThreshold(-1)),
        bad("discovery.slowStartMinWeight", b -> b.slowStartMinWeight(0)),
        bad("discovery.retryPolicy", b -> b.retryPolicy("pray")),
        bad("discovery.timeout", b -> b.timeout(Duration.ZERO)),
        bad("discovery.maxRetries", b -> b.maxRetries(-1)),
        bad("discovery.mechanisms", b -> b.mechanisms(null)));
  }

  private static Arguments bad(String field, UnaryOperator<DiscoveryConfig.Builder> change) {
    return Arguments.of(field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidValuesNameTheField(String field, UnaryOperator<DiscoveryConfig.Builder> change) {
    assertThatThrownBy(() -> change.apply(DiscoveryConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field);
  }

  @Test
  void algorithmNamesParseLeniently() {
    assertThat(LoadBalancing.parse("weighted")).isEqualTo(LoadBalancing.WEIGHTED_ROUND_ROBIN);
    assertThat(LoadBalancing.parse("ROUND-ROBIN")).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(LoadBalancing.parse("maglev")).isEqualTo(LoadBalancing.CONSISTENT_HASH);
    assertThat(Mechanism.parse(" Mesh ")).isEqualTo(Mechanism.MESH);
  }

  @Test
  void toBuilderRoundTrips() {
    DiscoveryConfig c = DiscoveryConfig.builder().serviceAlgorithm("a", LoadBalancing.ROUND_ROBIN).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
