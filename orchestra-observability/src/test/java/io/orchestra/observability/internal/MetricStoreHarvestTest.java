package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.metrics.Rollup;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricStoreHarvestTest {

  @Test
  void aTimerRecordCaughtHalfWayByAHarvestStillGivesTheWindowARealMinAndMax() {
    VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
    BadInputCounters bad = new BadInputCounters(null);
    MetricStore store = new MetricStore(ObservabilityConfig.defaults(), null, bad);
    SinkMetrics sink = new SinkMetrics(store, "api", time, bad);
    SinkMetrics.TimerHandle timer = (SinkMetrics.TimerHandle) sink.timer("orchestra.test.latency", Tags.empty());
    Series s = timer.series;
    // What TimerHandle.record has done when another thread harvests between its sketch update and
    // its min/max update.
    s.timerSketch.record(5.0);
    s.timerCount.increment();
    s.timerTotalNanos.add(5_000_000L);
    store.harvest(time.millis(), true);
    timer.record(7_000_000L); // a complete record in the next interval
    store.harvest(time.millis(), true);

    List<Rollup> windows = s.rollups(0, time.millis() - 60_000, time.millis() + 1, 0);
    assertThat(windows).singleElement().satisfies(r -> {
      assertThat(r.count()).isEqualTo(2);
      assertThat(r.min()).isCloseTo(5.0, withPercentage(1));
      assertThat(r.max()).isCloseTo(7.0, withPercentage(1));
      assertThat(r.sum()).isCloseTo(12.0, withPercentage(0.001));
    });
  }
}
