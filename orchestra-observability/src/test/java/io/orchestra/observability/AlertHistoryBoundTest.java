package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.logs.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code alerting.maxHistory} and {@code alerting.maxHistoryBytes}: the resolved-alert history is
 * bounded by count and by estimated bytes as well as by time.
 */
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

  // --- alerting.maxHistoryBytes ---

  private static final AlertRule ERROR_LOGS_ANYWHERE = AlertRule.logs("error-logs", AlertRule.ANY_SERVICE).logLevel(LogLevel.ERROR)
      .above(0).window(Duration.ofMinutes(1)).build();

  private static ObservabilityEngine logEngine(VirtualTime time, long maxHistoryBytes, SimpleMeterRegistry registry,
      List<AlertNotification> sent) {
    ObservabilityConfig config = Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).maxHistoryBytes(maxHistoryBytes).build())
        .build();
    return Engines.on(time, config).meterRegistry(registry).alertRule(ERROR_LOGS_ANYWHERE)
        .notifier("test", n -> { sent.add(n); return CompletableFuture.completedFuture(null); }).build();
  }

  /** {@code service} logs these error lines (each {@code chars} long) once; the sweep resolves its alert. */
  private static void errorLinesOnceAndResolve(VirtualTime time, ObservabilityEngine engine, String service, int lines, int chars,
      Runnable meanwhile) {
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      String tag = service + "#" + i + " ";
      batch.add("level=error msg=\"" + tag + "x".repeat(chars - tag.length()) + "\"");
    }
    engine.processServiceLogs(service, batch);
    for (int s = 0; s < 6; s++) {
      time.advance(Duration.ofSeconds(30));
      meanwhile.run();
    }
  }

  @Test
  void alertsWithLongLogLinesKeepOnlyTheNewestThatFitTheBytesAndNeverTheActiveAlert() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Each resolved alert holds one 10,000-char line, estimated at about 20 KB of 2 bytes a char
    // plus some hundreds of bytes of labels and ids: three fit in 70,000 bytes, four do not.
    try (ObservabilityEngine engine = logEngine(time, 70_000, registry, new CopyOnWriteArrayList<>())) {
      Runnable steady = () -> engine.processServiceLogs("steady", List.of("level=error msg=\"still failing\""));
      steady.run();
      for (int i = 0; i < 12; i++) {
        errorLinesOnceAndResolve(time, engine, "svc-" + i, 1, 10_000, steady);
        assertThat(engine.alertHistory()).hasSizeLessThanOrEqualTo(3);
      }

      // Without the byte bound all 12 would be held (the count bound is 10,000).
      List<Alert> history = engine.alertHistory();
      assertThat(history).extracting(Alert::serviceName).containsExactly("svc-9", "svc-10", "svc-11");
      assertThat(history).extracting(Alert::resolvedAtEpochMillis).isSorted();
      assertThat(history).allSatisfy(a -> {
        assertThat(a.evidence().logLines()).singleElement().satisfies(l -> assertThat(l.message()).hasSize(10_000));
        assertThat(a.evidence().omittedLogLines()).isZero();
      });
      assertThat(engine.activeAlerts()).singleElement().satisfies(a -> {
        assertThat(a.serviceName()).isEqualTo("steady");
        assertThat(a.state()).isEqualTo(AlertState.FIRING);
      });
      assertThat(engine.badInput().count("alert", "history_overflow")).isEqualTo(9);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "alert").tag("reason", "history_overflow")
          .counter().count()).isEqualTo(9);
      assertThat(engine.badInput().count("alert", "history_trimmed")).isZero();
    }
  }

  @Test
  void anAlertAboveTheWholeBudgetIsKeptWithTheLinesThatFitAndItsNotificationsHadThemAll() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    // Three 3,000-char lines, about 6 KB each estimated: 10,000 bytes hold one of them.
    try (ObservabilityEngine engine = logEngine(time, 10_000, registry, sent)) {
      errorLinesOnceAndResolve(time, engine, "small", 1, 2_000, () -> { }); // about 5 KB: fits alone, not beside big
      errorLinesOnceAndResolve(time, engine, "big", 3, 3_000, () -> { });

      List<LogRecord> notified = sent.stream().flatMap(n -> n.alerts().stream())
          .filter(a -> a.serviceName().equals("big") && a.state() == AlertState.RESOLVED)
          .findFirst().orElseThrow().evidence().logLines();
      assertThat(notified).hasSize(3);
      assertThat(engine.alertHistory()).singleElement().satisfies(a -> {
        assertThat(a.serviceName()).isEqualTo("big");
        assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(a.evidence().logLines()).isEqualTo(notified.subList(0, 1));
        assertThat(a.evidence().omittedLogLines()).isEqualTo(2);
      });
      assertThat(engine.badInput().count("alert", "history_trimmed")).isEqualTo(1);
      assertThat(engine.badInput().count("alert", "history_overflow")).isEqualTo(1); // "small" left for room
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "alert").tag("reason", "history_trimmed")
          .counter().count()).isEqualTo(1);
    }
  }

  @Test
  void maxHistoryBytesDefaultLoadingAndValidation() { // values below 1 from JSON: ConfigTest
    assertThat(AlertingConfig.defaults().maxHistoryBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(ConfigLoader.fromYaml("alerting:\n  maxHistoryBytes: 1048576\n", ObservabilityConfig.class).alerting().maxHistoryBytes())
        .isEqualTo(1_048_576);
    assertThat(ConfigLoader.fromJson("{\"alerting\": {\"maxHistoryBytes\": 8589934592}}", ObservabilityConfig.class).alerting()
        .maxHistoryBytes()).isEqualTo(8_589_934_592L); // above an int
    assertThat(AlertingConfig.builder().maxHistoryBytes(7).build().toBuilder().build().maxHistoryBytes()).isEqualTo(7);
    assertThat(AlertingConfig.builder().maxHistoryBytes(7).maxHistory(3).build().maxHistory()).isEqualTo(3);
    assertThatThrownBy(() -> AlertingConfig.builder().maxHistoryBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerting.maxHistoryBytes must be > 0, was 0");
  }
}
