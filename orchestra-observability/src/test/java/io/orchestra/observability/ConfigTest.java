package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.Comparison;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.traces.BufferFullPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

  @Test
  void defaultsAreTheSeeds() {
    ObservabilityConfig c = ObservabilityConfig.defaults();
    assertThat(c.metrics().collectionInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.metrics().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.metrics().aggregationLevels())
        .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1));
    assertThat(c.metrics().customMetrics()).isTrue();
    assertThat(c.logging().logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(c.logging().structuredLogging()).isTrue();
    assertThat(c.logging().logRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.logging().logForwarding()).isTrue();
    assertThat(c.logging().sensitiveDataMasking()).isTrue();
    assertThat(c.tracing().samplingRate()).isEqualTo(0.1);
    assertThat(c.tracing().maxTraceSize()).isEqualTo(1_048_576);
    assertThat(c.tracing().traceRetention()).isEqualTo(Duration.ofDays(3));
    assertThat(c.tracing().distributedTracing()).isTrue();
    assertThat(c.tracing().whenBufferFull()).isEqualTo(BufferFullPolicy.DRAIN);
    assertThat(c.alerting().evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.alerting().alertRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(c.alerting().notificationChannels()).containsExactly("email", "slack", "webhook");
    assertThat(c.maxTrackedServices()).isEqualTo(10_000);
  }

  @Test
  void loadsFromYamlWithTheSeedsSpellingsAndRules() {
    ObservabilityConfig c = ConfigLoader.fromYaml("""
        serviceName: checkout
        maxTrackedServices: 500
        metrics:
          collectionInterval: 15000
          aggregationLevels: [1m, 5m, 1h, 1d]
          tagBudgets: {path: 50}
        logging:
          logLevel: warn
          sensitiveDataMasking: true
        tracing:
          samplingRate: 0.25
          maxTraceSize: 2097152
          whenBufferFull: shed
        alerting:
          evaluationInterval: 30s
          notificationChannels: [webhook]
          rules:
            - id: slow
              service: checkout
              metric: http_request_duration_ms
              aggregation: P95
              comparison: GT
              threshold: 800
              for: 2m
              keepFiringFor: 5m
              severity: CRITICAL
        """, ObservabilityConfig.class);
    assertThat(c.serviceName()).isEqualTo("checkout");
    assertThat(c.maxTrackedServices()).isEqualTo(500);
    assertThat(ConfigLoader.fromJson("{\"maxTrackedServices\": 3}", ObservabilityConfig.class).maxTrackedServices()).isEqualTo(3);
    assertThat(c.metrics().budgetFor("path")).isEqualTo(50);
    assertThat(c.logging().logLevel()).isEqualTo(LogLevel.WARN);
    assertThat(c.tracing().samplingRate()).isEqualTo(0.25);
    assertThat(c.tracing().whenBufferFull()).isEqualTo(BufferFullPolicy.SHED);
    AlertRule r = c.alerting().rules().get(0);
    assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.keepFiringFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.comparison()).isEqualTo(Comparison.GT);
    assertThat(r.condition()).isEqualTo("p95(http_request_duration_ms) > 800.0 over PT5M for PT2M");
    assertThat(c.alerting().evaluationInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigLoader.fromJson("{}", ObservabilityConfig.class)).isEqualTo(ObservabilityConfig.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"tracing": {"samplingRate": 1.5}}                           | tracing.samplingRate
      {"metrics": {"aggregationLevels": ["1m", "90s"]}}            | metrics.aggregationLevels[1]
      {"metrics": {"collectionInterval": "7s"}}                    | metrics.aggregationLevels[0]
      {"metrics": {"quantileRelativeError": 0}}                    | metrics.quantileRelativeError
      {"tracing": {"spanBufferSize": 1000}}                        | tracing.spanBufferSize
      {"tracing": {"whenBufferFull": null}}                        | tracing.whenBufferFull
      {"logging": {"maxStoredLogs": 0}}                            | logging.maxStoredLogs
      {"alerting": {"rules": [{"id": "a", "metric": ""}]}}         | alertRule[a].metric
      {"serviceName": " "}                                         | serviceName
      {"maxTrackedServices": 0}                                    | maxTrackedServices must be > 0, was 0
      {"maxTrackedServices": -5}                                   | maxTrackedServices must be > 0, was -5
      {"alerting": {"maxHistory": 0}}                              | alerting.maxHistory must be > 0, was 0
      {"alerting": {"maxHistory": -4}}                             | alerting.maxHistory must be > 0, was -4
      {"alerting": {"maxHistoryBytes": 0}}                         | alerting.maxHistoryBytes must be > 0, was 0
      {"alerting": {"maxHistoryBytes": -65536}}                    | alerting.maxHistoryBytes must be > 0, was -65536
      {"nope": 1}                                                  | nope
      """)
  void invalidConfigurationNamesTheField(String json, String field) {
    assertThatThrownBy(() -> ConfigLoader.fromJson(json, ObservabilityConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(field);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"DRAIN, DRAIN", "drain, DRAIN", "Shed, SHED", "' shed ', SHED"})
  void bufferFullPolicyLoadsInAnyCase(String text, BufferFullPolicy expected) {
    String json = "{\"tracing\": {\"whenBufferFull\": \"" + text + "\"}}";
    assertThat(ConfigLoader.fromJson(json, ObservabilityConfig.class).tracing().whenBufferFull()).isEqualTo(expected);
  }

  @Test
  void unknownBufferFullPolicyNamesTheFieldAndTheValue() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("tracing:\n  whenBufferFull: block\n", ObservabilityConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracing.whenBufferFull must be drain or shed, was \"block\"");
  }

  @Test
  void buildersValidateToo() {
    assertThatThrownBy(() -> ObservabilityConfig.builder().maxTrackedServices(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTrackedServices must be > 0, was 0");
    assertThatThrownBy(() -> ObservabilityConfig.builder().maxTrackedServices(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTrackedServices must be > 0, was -1");
    assertThat(ObservabilityConfig.builder().maxTrackedServices(7).build().toBuilder().build().maxTrackedServices()).isEqualTo(7);
    assertThatThrownBy(() -> AlertingConfig.builder().rules(List.of(
            AlertRule.logs("x", "a").build(), AlertRule.logs("x", "b").build())).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate id \"x\"");
    assertThatThrownBy(() -> TimeWindow.last(Duration.ZERO, java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    assertThatThrownBy(() -> TracingConfig.builder().whenBufferFull(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tracing.whenBufferFull");
    assertThat(TracingConfig.builder().whenBufferFull(BufferFullPolicy.SHED).build().toBuilder().build().whenBufferFull())
        .isEqualTo(BufferFullPolicy.SHED);
  }
}
