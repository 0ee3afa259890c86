package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.metrics.MetricPoint;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.MetricsResult;
import io.orchestra.observability.metrics.RejectReason;
import io.orchestra.observability.metrics.Rollup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardinalityTest {

  @Test
  void theLongTailFoldsIntoOtherSoTotalsStayRightAndIdleSeriesExpire() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ObservabilityConfig config = ObservabilityConfig.builder()
        .metrics(MetricsConfig.builder().tagBudgets(Map.of("user", 10)).seriesIdleTimeout(Duration.ofMinutes(30)).build())
        .build();
    try (ObservabilityEngine engine = Engines.on(time, config).meterRegistry(registry).build()) {
      for (int u = 0; u < 1000; u++) {
        engine.counter("orchestra.test.logins", Tags.of("service", "auth", "user", "u" + u)).increment();
      }
      assertThat(engine.distinctTagValues("orchestra.test.logins", "user")).isEqualTo(11); // 10 + other
      assertThat(engine.seriesCount()).isEqualTo(11);
      time.advance(Duration.ofSeconds(61));
      TimeWindow w = TimeWindow.last(Duration.ofMinutes(5), time);
      double total = engine.rollups("auth", "orchestra.test.logins", Map.of(), 0, w).stream().mapToDouble(Rollup::sum).sum();
      assertThat(total).isEqualTo(1000);
      assertThat(engine.rollups("auth", "orchestra.test.logins", Map.of("user", "other"), 0, w)).extracting(Rollup::sum)
          .containsExactly(990.0);
      assertThat(registry.get("orchestra.test.logins").tag("user", "other").functionCounter().count()).isEqualTo(990);
      assertThat(engine.badInput().count("metric", "label_folded")).isEqualTo(1);

      // Collected points obey the same budget.
      for (int p = 0; p < 300; p++) {
        engine.collectServiceMetrics("auth", List.of(MetricPoint.of("http_request_duration_ms", 5, MetricType.DISTRIBUTION, Map.of("path", "/p" + p))));
      }
      assertThat(engine.distinctTagValues("http.request.duration.ms", "path")).isEqualTo(101);

      // After the idle timeout every series without updates is gone, with its budget and meter.
      time.advance(Duration.ofMinutes(45));
      assertThat(engine.seriesCount()).isZero();
      assertThat(engine.distinctTagValues("orchestra.test.logins", "user")).isZero();
      assertThat(registry.find("orchestra.test.logins").meters()).isEmpty();
      // A handle whose series expired revives it on the next record.
      var handle = engine.counter("orchestra.test.logins", Tags.of("service", "auth", "user", "late"));
      time.advance(Duration.ofMinutes(45));
      handle.increment(3);
      time.advance(Duration.ofSeconds(61));
      assertThat(engine.rollups("auth", "orchestra.test.logins", Map.of("user", "late"), 0, TimeWindow.last(Duration.ofMinutes(2), time)))
          .extracting(Rollup::sum).containsExactly(3.0);
    }
  }

  @Test
  void theSeriesCapFoldsNewSeriesIntoOneOtherSeries() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = ObservabilityConfig.builder().metrics(MetricsConfig.builder().maxSeries(20).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      for (int s = 0; s < 50; s++) {
        engine.collectServiceMetrics("svc" + s, Map.of("queue_depth", s));
      }
      assertThat(engine.seriesCount()).isEqualTo(21);
      assertThat(engine.badInput().count("metric", "series_overflow")).isEqualTo(30);
    }
  }

  @Test
  void theSeriesCapHoldsWhenMetricNamesExplodeToo() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = ObservabilityConfig.builder().metrics(MetricsConfig.builder().maxSeries(20).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      for (int i = 0; i < 500; i++) {
        MetricsResult r = engine.collectServiceMetrics("orders", Map.of("queue_" + i + "_depth", 1));
        if (i >= 20) {
          assertThat(r.rejected()).extracting(x -> x.reason()).containsExactly(RejectReason.SERIES_LIMIT);
        }
      }
      engine.counter("orchestra.test.requests." + 7, Tags.empty()).increment();
      assertThat(engine.seriesCount()).isEqualTo(20);
      assertThat(engine.badInput().count("metric", "series_limit")).isEqualTo(481);
      // Metrics that already have series still fold their new series into other.
      engine.collectServiceMetrics("payments", Map.of("queue_3_depth", 1));
      assertThat(engine.seriesCount()).isEqualTo(21);
      // Room frees when series expire.
      time.advance(Duration.ofHours(25));
      assertThat(engine.seriesCount()).isZero();
      assertThat(engine.collectServiceMetrics("orders", Map.of("queue_400_depth", 1)).accepted()).hasSize(1);
    }
  }
}
