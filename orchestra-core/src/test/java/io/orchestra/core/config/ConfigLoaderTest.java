package io.orchestra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @Test
  void yaml_overridesDefaults_andKeepsTheRest() {
    CircuitBreakerConfig c =
        ConfigLoader.fromYaml(
            """
            failureRateThreshold: 25
            waitDurationInOpenState: 15s
            slidingWindowType: TIME_BASED
            slidingWindowSize: 60
            failureOutcomes: [SERVER_ERROR, TIMEOUT]
            """,
            CircuitBreakerConfig.class);
    assertThat(c.failureRateThreshold()).isEqualTo(25f);
    assertThat(c.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.slidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.TIME_BASED);
    assertThat(c.failureOutcomes()).containsExactlyInAnyOrder(CallOutcome.SERVER_ERROR, CallOutcome.TIMEOUT);
    assertThat(c.minimumNumberOfCalls()).isEqualTo(CircuitBreakerConfig.defaults().minimumNumberOfCalls());
  }

  @Test
  void json_loadsNestedPoliciesAndInstances() {
    RetryPolicy p =
        ConfigLoader.fromJson(
            "{\"maxRetries\":5,\"backoff\":{\"type\":\"DECORRELATED_JITTER\",\"initialDelay\":\"50ms\",\"maxDelay\":\"PT2S\"},\"retriableStatusCodes\":[409]}",
            RetryPolicy.class);
    assertThat(p.maxRetries()).isEqualTo(5);
    assertThat(p.backoff().type()).isEqualTo(Backoff.Type.DECORRELATED_JITTER);
    assertThat(p.backoff().initialDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.isRetriable(CallOutcome.CLIENT_ERROR, 409)).isTrue();

    TokenBucket.Config tb = ConfigLoader.fromYaml("permitsPerPeriod: 100\nperiod: 1000", TokenBucket.Config.class);
    assertThat(tb.period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(tb.burst()).isEqualTo(100);

    ServiceInstance i =
        ConfigLoader.fromJson(
            "{\"id\":\"a1\",\"serviceName\":\"orders\",\"host\":\"10.0.0.1\",\"port\":8080,\"zone\":\"z1\",\"labels\":{\"version\":\"v2\"}}",
            ServiceInstance.class);
    assertThat(i.label("version")).isEqualTo("v2");
    assertThat(i.endpoint().authority()).isEqualTo("http://10.0.0.1:8080");
    String json = ConfigLoader.jsonMapper().valueToTree(i).toString();
    assertThat(ConfigLoader.fromJson(json, ServiceInstance.class)).isEqualTo(i);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "failureRateThreshold: 150|failureRateThreshold must be in (0, 100], was 150.0",
        "waitDurationInOpenState: -5s|waitDurationInOpenState must be a positive duration, was PT-5S",
        "waitDurationInOpenState: soon|not a duration: \"soon\"",
        "slidingWindowSize: 0|slidingWindowSize must be in [1, 1048575], was 0",
        "noSuchProperty: 1|noSuchProperty",
      })
  void badValues_failWithFieldAndValue(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.fromYaml(yaml, CircuitBreakerConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void instanceValidation_namesTheField() {
    assertThatThrownBy(() -> ConfigLoader.fromJson("{\"id\":\"a\",\"serviceName\":\"s\",\"host\":\"h\",\"port\":0}", ServiceInstance.class))
        .hasMessageContaining("instance.port").hasMessageContaining("0");
    assertThatThrownBy(() -> ServiceInstance.builder("a", "s").address("h", 80).weight(-1).build())
        .hasMessageContaining("instance.weight").hasMessageContaining("-1");
    assertThatThrownBy(() -> ServiceInstance.builder("a", " ").address("h", 80).build())
        .hasMessageContaining("instance.serviceName");
  }

  @ParameterizedTest
  @CsvSource({"250ms,250000000", "30s,30000000000", "5m,300000000000", "1h,3600000000000", "PT1S,1000000000", "1500,1500000000", "1.5s,1500000000", "10us,10000"})
  void durations(String text, long nanos) {
    assertThat(DurationParser.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }
}
