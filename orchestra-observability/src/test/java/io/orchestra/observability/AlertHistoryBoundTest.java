package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code alerting.maxHistory}: the resolved-alert history is bounded by count as well as by time. */
class AlertHistoryBoundTest {
  private static final AlertRule HOT_CPU_ANYWHERE = AlertRule.metric("hot-cpu", AlertRule.ANY_SERVICE, "cpu_usage")
      .aggregation(Aggregation.LAST).above(0.9).window(Duration.ofMinutes(1)).build();

  private static ObservabilityEngine engine(VirtualTime time, int maxHistory, SimpleMeterRegistry registry) {
    ObservabilityConfig config = Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).maxHistory(maxHistory).build())
        .build();
    return Engines.on(time, config).meterRegistry(registry).alertRule(HOT_CPU_ANYWHERE)
        .notifier("test", n -> CompletableFuture.completedFuture(null)).build();
  }

  /** {@code service} breaches once; its data stops and the periodic sweep resolves the alert. */
  private static void breachOnceAndResolve(VirtualTime time, ObservabilityEngine engine, String service, Runnable meanwhile) {
    engine.collectServiceMetrics(service, Map.of("cpu_usage", 0.95));
    for (int s = 0; s < 6; s++) {
      time.advance(Duration.ofSeconds(30));
      meanwhile.run();
    }
  }

  @Test
  void manyServicesBreachingOnceKeepOnlyTheNewestResolutionsAndNeverTheActiveAlert() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ObservabilityEngine engine = engine(time, 5, registry)) {
      // "steady" breaches all along: its alert fires and stays active through every eviction.
      Runnable steady = () -> engine.collectServiceMetrics("steady", Map.of("cpu_usage", 0.99));
      steady.run();
      List<Long> resolvedAt = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        breachOnceAndResolve(time, engine, "svc-" + i, steady);
        assertThat(engine.alertHistory()).hasSizeLessThanOrEqualTo(5);
        resolvedAt.add(engine.alertHistory().get(engine.alertHistory().size() - 1).resolvedAtEpochMillis());
      }

      // Without the bound the history would hold all 40 (within the 24 h retention).
      List<Alert> history = engine.alertHistory();
      assertThat(history).extracting(Alert::serviceName).containsExactly("svc-35", "svc-36", "svc-37", "svc-38", "svc-39");
      assertThat(history).extracting(Alert::resolvedAtEpochMillis).containsExactlyElementsOf(resolvedAt.subList(35, 40));
      assertThat(history).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.RESOLVED));
      assertThat(engine.activeAlerts()).singleElement().satisfies(a -> {
        assertThat(a.serviceName()).isEqualTo("steady");
        assertThat(a.state()).isEqualTo(AlertState.FIRING);
      });
      assertThat(engine.badInput().count("alert", "history_overflow")).isEqualTo(35);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "alert").tag("reason", "history_overflow")
          .counter().count()).isEqualTo(35);
    }
  }

  @Test
  void aFlappingAlertKeepsItsNewestResolutions() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = engine(time, 3, new SimpleMeterRegistry())) {
      List<Long> resolvedAt = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        breachOnceAndResolve(time, engine, "flappy", () -> { });
        List<Alert> h = engine.alertHistory();
        resolvedAt.add(h.get(h.size() - 1).resolvedAtEpochMillis());
      }
      assertThat(engine.alertHistory()).extracting(Alert::resolvedAtEpochMillis).containsExactlyElementsOf(resolvedAt.subList(7, 10))
          .isSorted();
      assertThat(engine.badInput().count("alert", "history_overflow")).isEqualTo(7);
    }
  }

  @Test
  void theRetentionStillAppliesAndAgeingOutIsNotCountedAsOverflow() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = engine(time, 100, new SimpleMeterRegistry())) {
      breachOnceAndResolve(time, engine, "early", () -> { });
      time.advance(Duration.ofHours(12));
      breachOnceAndResolve(time, engine, "late", () -> { });
      assertThat(engine.alertHistory()).extracting(Alert::serviceName).containsExactly("early", "late");
      time.advance(Duration.ofHours(13)); // early resolved over 24 h ago, late 13 h ago
      assertThat(engine.alertHistory()).extracting(Alert::serviceName).containsExactly("late");
      time.advance(Duration.ofHours(12));
      assertThat(engine.alertHistory()).isEmpty();
      assertThat(engine.badInput().count("alert", "history_overflow")).isZero();
    }
  }

  @Test
  void defaultLoadingAndValidation() { // values below 1 from JSON: ConfigTest
    assertThat(AlertingConfig.defaults().maxHistory()).isEqualTo(10_000);
    assertThat(ConfigLoader.fromYaml("alerting:\n  maxHistory: 250\n", ObservabilityConfig.class).alerting().maxHistory())
        .isEqualTo(250);
    assertThat(ConfigLoader.fromJson("{\"alerting\": {\"maxHistory\": 3}}", ObservabilityConfig.class).alerting().maxHistory())
        .isEqualTo(3);
    assertThat(AlertingConfig.builder().maxHistory(7).build().toBuilder().build().maxHistory()).isEqualTo(7);
    assertThatThrownBy(() -> AlertingConfig.builder().maxHistory(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerting.maxHistory must be > 0, was 0");
  }
}
