package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.metrics.MetricPoint;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.Rollup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code service} label is budgeted by {@code maxTrackedServices}, not by {@code
 * metrics.defaultTagBudget}, unless {@code metrics.tagBudgets} names it.
 */
class ServiceTagBudgetTest {
  private static final int SERVICES = 150; // above the default tag budget of 100
  private static final AlertRule HOT_CPU_ANYWHERE = AlertRule.metric("hot-cpu", AlertRule.ANY_SERVICE, "cpu_usage")
      .above(0.9).window(Duration.ofMinutes(1)).build();

  private static ObservabilityConfig quiet(ObservabilityConfig config) {
    return config.toBuilder().alerting(AlertingConfig.builder().notificationChannels(List.of()).build()).build();
  }

  private static List<String> services(int n) {
    return IntStream.range(0, n).mapToObj(i -> "svc-" + i).toList();
  }

  @Test
  @DisplayName("with the defaults, 150 services on one metric keep their own series and each one's rules fire")
  void defaults_moreServicesThanTheDefaultTagBudget_eachKeepsItsSeriesAndAlerts() {
    VirtualTime time = Engines.time();
    AlertRule lastOne = AlertRule.metric("svc-149-hot", "svc-149", "cpu_usage").above(0.9).window(Duration.ofMinutes(1)).build();
    try (ObservabilityEngine engine = Engines.on(time, quiet(ObservabilityConfig.defaults()))
        .alertRule(HOT_CPU_ANYWHERE).alertRule(lastOne).build()) {
      for (String s : services(SERVICES)) {
        engine.collectServiceMetrics(s, Map.of("cpu_usage", 0.95));
        engine.counter("orchestra.test.requests", Tags.of("service", s)).increment();
      }

      assertThat(engine.distinctTagValues("cpu.usage", "service")).isEqualTo(SERVICES);
      assertThat(engine.distinctTagValues("orchestra.test.requests", "service")).isEqualTo(SERVICES);
      assertThat(engine.badInput().count("metric", "label_folded")).isZero();
      assertThat(engine.activeAlerts()).filteredOn(a -> a.ruleId().equals("hot-cpu"))
          .allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING))
          .extracting(Alert::serviceName).containsExactlyInAnyOrderElementsOf(services(SERVICES));
      assertThat(engine.activeAlerts()).filteredOn(a -> a.ruleId().equals("svc-149-hot")).singleElement()
          .satisfies(a -> assertThat(a.value()).isEqualTo(0.95));

      time.advance(Duration.ofSeconds(61));
      assertThat(engine.rollups("svc-149", "orchestra.test.requests", Map.of(), 0, TimeWindow.last(Duration.ofMinutes(2), time)))
          .extracting(Rollup::sum).containsExactly(1.0);
    }
  }

  @Test
  @DisplayName("an explicit tagBudgets.service still folds the services past it into other")
  void explicitServiceBudget_wins_servicesPastItFold() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = quiet(ObservabilityConfig.builder()
        .metrics(MetricsConfig.builder().tagBudgets(Map.of("service", 10)).build()).build());
    try (ObservabilityEngine engine = Engines.on(time, config).alertRule(HOT_CPU_ANYWHERE).build()) {
      for (String s : services(SERVICES)) {
        engine.collectServiceMetrics(s, Map.of("cpu_usage", 0.95));
      }

      assertThat(engine.distinctTagValues("cpu.usage", "service")).isEqualTo(11); // 10 + other
      assertThat(engine.badInput().count("metric", "label_folded")).isEqualTo(1); // once, at the other series
      assertThat(engine.activeAlerts()).extracting(Alert::serviceName)
          .containsExactlyInAnyOrderElementsOf(services(10));
      time.advance(Duration.ofSeconds(61));
      assertThat(engine.rollups("other", "cpu.usage", Map.of(), 0, TimeWindow.last(Duration.ofMinutes(2), time)))
          .extracting(Rollup::count).containsExactly((long) SERVICES - 10);
    }
  }

  @Test
  @DisplayName("without an explicit entry the service budget is maxTrackedServices, so it folds past that bound")
  void trackingBound_isTheServiceBudget_servicesPastItFoldAndAreNotTracked() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = quiet(ObservabilityConfig.builder().maxTrackedServices(20).build());
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      for (String s : services(50)) {
        engine.collectServiceMetrics(s, Map.of("cpu_usage", 0.5));
      }

      assertThat(engine.services()).hasSize(20);
      assertThat(engine.badInput().count("service", "tracking_overflow")).isEqualTo(30);
      assertThat(engine.distinctTagValues("cpu.usage", "service")).isEqualTo(21); // 20 + other
      // Other tag keys keep the default budget.
      for (int p = 0; p < 300; p++) {
        engine.collectServiceMetrics("svc-0", List.of(MetricPoint.of("http_request_duration_ms", 5, MetricType.DISTRIBUTION, Map.of("path", "/p" + p))));
      }
      assertThat(engine.distinctTagValues("http.request.duration.ms", "path")).isEqualTo(101);
    }
  }

  @Test
  void tagBudgetFor_explicitEntryElseTrackingBoundForServiceElseDefault() {
    ObservabilityConfig defaults = ObservabilityConfig.defaults();
    assertThat(defaults.tagBudgetFor("service")).isEqualTo(10_000);
    assertThat(defaults.tagBudgetFor("path")).isEqualTo(100);
    ObservabilityConfig tuned = ObservabilityConfig.builder().maxTrackedServices(500)
        .metrics(MetricsConfig.builder().defaultTagBudget(7).tagBudgets(Map.of("path", 3)).build()).build();
    assertThat(tuned.tagBudgetFor("service")).isEqualTo(500);
    assertThat(tuned.tagBudgetFor("path")).isEqualTo(3);
    assertThat(tuned.tagBudgetFor("user")).isEqualTo(7);
    ObservabilityConfig explicit = tuned.toBuilder()
        .metrics(MetricsConfig.builder().tagBudgets(Map.of("service", 40)).build()).build();
    assertThat(explicit.tagBudgetFor("service")).isEqualTo(40);
  }
}
