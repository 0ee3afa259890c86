package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.alerts.Notifier;
import io.orchestra.observability.testing.Race;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code alerting.maxActiveAlerts}: the engine keeps a bounded number of pending and firing alerts. */
class ActiveAlertsBoundTest {
  private static final AlertRule HOT_CPU_ANYWHERE = AlertRule.metric("hot-cpu", AlertRule.ANY_SERVICE, "cpu_usage")
      .above(0.9).window(Duration.ofMinutes(1)).build();

  private static ObservabilityConfig bound(int maxActiveAlerts) {
    // The default tag budgets: the 400 services used each keep a series of their own, since the
    // service label is budgeted by maxTrackedServices.
    return Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).maxActiveAlerts(maxActiveAlerts).build())
        .build();
  }

  private static Notifier into(List<AlertNotification> sent) {
    return n -> {
      sent.add(n);
      return CompletableFuture.completedFuture(null);
    };
  }

  private static long alertsNotified(List<AlertNotification> sent, String status) {
    return sent.stream().filter(n -> n.status().equals(status)).mapToLong(n -> n.alerts().size()).sum();
  }

  @Test
  void eightThreadsBreachingForDistinctServicesRaiseExactlyTheBoundAndLoseNoneOfThem() throws Exception {
    int threads = 8;
    int perThread = 50;
    int max = 100;
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ObservabilityEngine engine = Engines.on(time, bound(max)).meterRegistry(registry)
        .alertRule(HOT_CPU_ANYWHERE).notifier("test", into(sent)).build()) {
      Race.run(threads, thread -> {
        for (int i = 0; i < perThread; i++) {
          engine.collectServiceMetrics("svc-" + thread + "-" + i, Map.of("cpu_usage", 0.95));
        }
      });

      // Exactly the bound is admitted; every admitted alert fired and was notified once.
      assertThat(engine.activeAlerts()).hasSize(max).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING));
      assertThat(alertsNotified(sent, "firing")).isEqualTo(max);
      long refused = (long) threads * perThread - max;
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(refused);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "alert").tag("reason", "active_overflow")
          .counter().count()).isEqualTo(refused);

      // The data stops: the periodic sweep resolves every admitted alert, none is dropped unnotified.
      List<String> admitted = engine.activeAlerts().stream().map(Alert::serviceName).toList();
      time.advance(Duration.ofMinutes(3));
      assertThat(engine.activeAlerts()).isEmpty();
      assertThat(engine.alertHistory()).extracting(Alert::serviceName).containsExactlyInAnyOrderElementsOf(admitted);
      assertThat(alertsNotified(sent, "resolved")).isEqualTo(max);

      // The sweeps tried the refused breaches again while their data was in the window.
      long afterSweeps = engine.badInput().count("alert", "active_overflow");
      assertThat(afterSweeps).isGreaterThan(refused);
      // Room again: a new breach raises its alert.
      engine.collectServiceMetrics("late", Map.of("cpu_usage", 0.99));
      assertThat(engine.activeAlerts()).extracting(Alert::serviceName).containsExactly("late");
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(afterSweeps);
    }
  }

  @Test
  void atTheBoundAPendingAlertStillFiresAndResolvesAndTheRefusedBreachGetsInAfterIt() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule slowToFire = AlertRule.metric("hot-cpu", AlertRule.ANY_SERVICE, "cpu_usage").above(0.9)
        .window(Duration.ofMinutes(1)).forDuration(Duration.ofMinutes(2)).build();
    ObservabilityConfig config = bound(1).toBuilder()
        .alerting(bound(1).alerting().toBuilder().evaluationInterval(Duration.ofHours(1)).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).alertRule(slowToFire).notifier("test", into(sent)).build()) {
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95));
      engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95));
      assertThat(engine.activeAlerts()).singleElement().satisfies(x -> {
        assertThat(x.serviceName()).isEqualTo("a");
        assertThat(x.state()).isEqualTo(AlertState.PENDING);
      });
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(1);

      // a's pending alert is not pushed out by b: it fires after its `for` like any other.
      for (int s = 0; s < 5; s++) {
        time.advance(Duration.ofSeconds(30));
        engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95));
        engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95));
      }
      assertThat(engine.activeAlerts()).singleElement().satisfies(x -> {
        assertThat(x.serviceName()).isEqualTo("a");
        assertThat(x.state()).isEqualTo(AlertState.FIRING);
      });
      assertThat(alertsNotified(sent, "firing")).isEqualTo(1);
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(6);

      // a's data stops; b keeps breaching: a resolves (notified), which makes room for b.
      for (int s = 0; s < 6; s++) {
        time.advance(Duration.ofSeconds(30));
        engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95));
      }
      engine.evaluateAlertRules();
      assertThat(engine.alertHistory()).singleElement().satisfies(x -> assertThat(x.serviceName()).isEqualTo("a"));
      assertThat(alertsNotified(sent, "resolved")).isEqualTo(1);
      assertThat(engine.activeAlerts()).singleElement().satisfies(x -> assertThat(x.serviceName()).isEqualTo("b"));
    }
  }

  @Test
  void aRefusedBreachOfATrackedServiceIsAdmittedByThePeriodicSweepOnceRoomFrees() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule shortWindow = AlertRule.metric("short", "a", "cpu_usage").above(0.9).window(Duration.ofMinutes(1)).build();
    AlertRule longWindow = AlertRule.metric("long", "b", "cpu_usage").above(0.9).window(Duration.ofMinutes(30)).build();
    ObservabilityConfig config = bound(1).toBuilder()
        .alerting(bound(1).alerting().toBuilder().evaluationInterval(Duration.ofMinutes(1)).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).alertRule(shortWindow).alertRule(longWindow)
        .notifier("test", into(sent)).build()) {
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95));
      engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95));
      assertThat(engine.activeAlerts()).extracting(Alert::ruleId).containsExactly("short");
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(1);
      // No more data from anyone: only the sweeps move things on.
      time.advance(Duration.ofMinutes(5));
      assertThat(engine.alertHistory()).extracting(Alert::ruleId).containsExactly("short");
      assertThat(engine.activeAlerts()).singleElement().satisfies(x -> {
        assertThat(x.ruleId()).isEqualTo("long");
        assertThat(x.state()).isEqualTo(AlertState.FIRING);
      });
      assertThat(sent).extracting(AlertNotification::status).containsExactly("firing", "resolved", "firing");
    }
  }

  @Test
  void removingARuleFreesItsAlertsRoom() {
    VirtualTime time = Engines.time();
    AlertRule other = AlertRule.metric("other", AlertRule.ANY_SERVICE, "cpu_usage").above(0.5).window(Duration.ofMinutes(1)).build();
    try (ObservabilityEngine engine = Engines.on(time, bound(2)).alertRule(HOT_CPU_ANYWHERE).alertRule(other)
        .notifier("test", into(new CopyOnWriteArrayList<>())).build()) {
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95)); // both rules: 2 alerts
      engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95)); // both refused
      assertThat(engine.activeAlerts()).hasSize(2);
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(2);
      assertThat(engine.removeAlertRule("other")).isTrue();
      engine.collectServiceMetrics("b", Map.of("cpu_usage", 0.95));
      assertThat(engine.activeAlerts()).extracting(x -> x.ruleId() + "/" + x.serviceName())
          .containsExactlyInAnyOrder("hot-cpu/a", "hot-cpu/b");
      assertThat(engine.badInput().count("alert", "active_overflow")).isEqualTo(2);
    }
  }

  @Test
  void defaultLoadingAndValidation() {
    assertThat(AlertingConfig.defaults().maxActiveAlerts()).isEqualTo(10_000);
    assertThat(ConfigLoader.fromYaml("alerting:\n  maxActiveAlerts: 250\n", ObservabilityConfig.class).alerting().maxActiveAlerts())
        .isEqualTo(250);
    assertThat(ConfigLoader.fromJson("{\"alerting\": {\"maxActiveAlerts\": 3}}", ObservabilityConfig.class).alerting().maxActiveAlerts())
        .isEqualTo(3);
    assertThat(AlertingConfig.builder().maxActiveAlerts(7).build().toBuilder().build().maxActiveAlerts()).isEqualTo(7);
    assertThatThrownBy(() -> AlertingConfig.builder().maxActiveAlerts(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerting.maxActiveAlerts must be > 0, was 0");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -4})
  void aBoundBelowOneIsRefusedNamingTheFieldAndTheValue(int value) {
    assertThatThrownBy(() -> ConfigLoader.fromJson("{\"alerting\": {\"maxActiveAlerts\": " + value + "}}", ObservabilityConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerting.maxActiveAlerts must be > 0, was " + value);
  }
}
