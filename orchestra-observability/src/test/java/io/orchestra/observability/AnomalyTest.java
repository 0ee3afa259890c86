package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.metrics.Anomaly;
import io.orchestra.observability.metrics.AnomalyKind;
import io.orchestra.observability.metrics.MetricsResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Metric anomalies as the engine reports them: the seed's record, judged on whole intervals. */
class AnomalyTest {

  @Test
  void collectedValuesAreJudgedAgainstTheirBaselineAndASpikeCarriesTheSeedsRecord() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      Random random = new Random(3);
      for (int i = 0; i < 60; i++) {
        MetricsResult r = engine.collectServiceMetrics("orders", Map.of("queue_depth", 50 + random.nextGaussian()));
        assertThat(r.anomalies()).as("value %s", i).isEmpty();
        time.advance(Duration.ofSeconds(15));
      }
      MetricsResult spike = engine.collectServiceMetrics("orders", Map.of("queue_depth", 90.0));
      assertThat(spike.anomalies()).singleElement().satisfies(a -> {
        assertThat(a.metricName()).isEqualTo("queue.depth");
        assertThat(a.service()).isEqualTo("orders");
        assertThat(a.kind()).isEqualTo(AnomalyKind.SPIKE);
        assertThat(a.currentValue()).isEqualTo(90.0);
        assertThat(a.expectedLow()).isLessThan(50);
        assertThat(a.expectedHigh()).isGreaterThan(50).isLessThan(90);
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.detectedAtEpochMillis()).isEqualTo(time.millis());
      });
      assertThat(engine.recentAnomalies()).extracting(Anomaly::currentValue).containsExactly(90.0);
    }
  }

  @Test
  void sinkCountersAreJudgedPerCollectionIntervalSoHarvestsInBetweenRaiseNothing() {
    // Built 7 s past a minute: the alert evaluation (every minute) then harvests 7 s into a
    // collection interval, as a dashboard query would.
    VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:07Z"));
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      TelemetrySink.Counter requests = engine.counter("orchestra.test.requests", Tags.of("service", "api"));
      // A perfectly steady 100 requests per second for 40 minutes.
      for (int s = 0; s < 40 * 60; s++) {
        requests.increment(100);
        time.advance(Duration.ofSeconds(1));
      }
      assertThat(engine.recentAnomalies()).isEmpty();
      // Ten times the rate for one interval is found.
      for (int s = 0; s < 15; s++) {
        requests.increment(1000);
        time.advance(Duration.ofSeconds(1));
      }
      List<Anomaly> found = engine.recentAnomalies();
      assertThat(found).isNotEmpty().first().satisfies(a -> {
        assertThat(a.metricName()).isEqualTo("orchestra.test.requests");
        assertThat(a.kind()).isEqualTo(AnomalyKind.SPIKE);
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      });
      // The roll-ups still hold every increment, whichever harvest moved it.
      double total = engine.rollups("api", "orchestra.test.requests", Map.of(), 2, TimeWindow.last(Duration.ofHours(2), time))
          .stream().mapToDouble(r -> r.sum()).sum();
      assertThat(total).isEqualTo(40 * 60 * 100 + 15 * 1000);
    }
  }
}
