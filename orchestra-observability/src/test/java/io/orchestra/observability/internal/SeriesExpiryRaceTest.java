package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.MetricsConfig;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.testing.Race;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Records racing the idle expiry of their series: none lost, none counted twice. */
class SeriesExpiryRaceTest {
  private static final int WRITERS = 8;
  private static final int PER_WRITER = 40_000;
  private static final int HANDLES = 16;
  private static final int MAX_PASSES = 200_000;

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
  private final BadInputCounters bad = new BadInputCounters(null);
  // A 1 ms idle timeout and 2 ms clock steps: every series not written since the last harvest is
  // idle at the next pass, while the whole run stays inside one or two one-minute windows.
  private final MetricStore store = new MetricStore(
      ObservabilityConfig.builder().metrics(MetricsConfig.builder().seriesIdleTimeout(Duration.ofMillis(1)).build()).build(),
      null,
      bad);
  private final SinkMetrics sink = new SinkMetrics(store, "api", time, bad);

  @Test
  @DisplayName("a counter write that lands in a series expired after the handle's check reaches the new series")
  void counterWriteIntoAnExpiredSeries_isMovedToItsReplacement() {
    SinkMetrics.CounterHandle counter = (SinkMetrics.CounterHandle) sink.counter("orchestra.test.calls", Tags.empty());
    counter.increment(2);
    store.harvest(time.millis() - 1, false);
    Series old = counter.series;
    time.advance(Duration.ofMillis(2));
    assertThat(store.expireIdle(time.millis())).isEqualTo(1);
    // What CounterHandle.increment has done when the expiry ran between its phase check and its
    // write: the write is in the dead series' cell; the handle now reads the phase after it.
    old.counterTotal.add(5);
    counter.settle(old);
    counter.increment(1);
    store.harvest(time.millis() - 1, false);

    assertThat(counter.series).isNotSameAs(old);
    assertThat(sum(counter.series)).isEqualTo(6);
    assertThat(sum(old)).isEqualTo(2);
  }

  @Test
  @DisplayName("a timer record that lands whole in an expired series is moved whole, taken once")
  void timerRecordIntoAnExpiredSeries_isMovedOnce() {
    SinkMetrics.TimerHandle timer = (SinkMetrics.TimerHandle) sink.timer("orchestra.test.latency", Tags.empty());
    timer.record(1_000_000L);
    store.harvest(time.millis() - 1, false);
    Series old = timer.series;
    time.advance(Duration.ofMillis(2));
    assertThat(store.expireIdle(time.millis())).isEqualTo(1);
    recordInto(old, 3_000_000L);
    timer.settle(old);
    timer.settle(old); // a second writer on the dead series finds nothing left to move

    store.harvest(time.millis() - 1, false);
    Series.Aggregate a = aggregate(timer.series);
    assertThat(a.count).isEqualTo(1);
    assertThat(a.sum).isEqualTo(3.0);
    assertThat(a.max).isEqualTo(3.0);
    assertThat(aggregate(old).count).isEqualTo(1);
  }

  @Test
  @DisplayName("a write that meets an expiry still deciding cancels it and stays in the live series")
  void writeDuringClosing_cancelsTheExpiry() {
    SinkMetrics.CounterHandle counter = (SinkMetrics.CounterHandle) sink.counter("orchestra.test.calls", Tags.empty());
    Series s = counter.series;
    assertThat(s.beginClosing()).isTrue(); // the expiry's first step, past its look at the cells
    counter.increment(3);
    assertThat(s.finishClosing()).isFalse();
    time.advance(Duration.ofMillis(2));
    store.harvest(time.millis() - 1, false);
    assertThat(store.all()).containsExactly(s);
    assertThat(sum(s)).isEqualTo(3);
  }

  @Test
  @DisplayName("a point collected into a series the expiry removed after it was resolved goes to its replacement")
  void collectedPointIntoAnExpiredSeries_goesToItsReplacement() {
    Series old = store.resolve("orchestra.test.queue", io.orchestra.observability.metrics.MetricType.COUNTER,
        store.baseLabels("api", null), time.millis());
    time.advance(Duration.ofMillis(2));
    assertThat(store.expireIdle(time.millis())).isEqualTo(1);
    // What MetricCollector.collect does when the expiry ran between its resolve and its record.
    assertThat(old.record(time.millis(), 5)).isTrue();

    assertThat(store.all()).singleElement().satisfies(s -> {
      assertThat(s).isNotSameAs(old);
      assertThat(sum(s)).isEqualTo(5);
    });
  }

  @Test
  @DisplayName("8 threads recording while series expire under them: harvested plus live equals recorded")
  void eightWritersRacingExpiry_loseAndDuplicateNothing() throws Exception {
    TelemetrySink.Counter[] counters = new TelemetrySink.Counter[HANDLES];
    TelemetrySink.Timer[] timers = new TelemetrySink.Timer[HANDLES];
    for (int i = 0; i < HANDLES; i++) {
      counters[i] = sink.counter("orchestra.test.calls", Tags.of("shard", "s" + i));
      timers[i] = sink.timer("orchestra.test.latency", Tags.of("shard", "s" + i));
    }
    Set<Series> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    AtomicInteger writersLeft = new AtomicInteger(WRITERS);
    int[] expired = new int[1];
    Race.run(WRITERS + 1, thread -> {
      if (thread == WRITERS) {
        for (int pass = 0; pass < MAX_PASSES && writersLeft.get() > 0; pass++) {
          // Every series that holds harvested data is in the store at some snapshot: only this
          // thread harvests and expires, and it looks after each harvest.
          store.harvest(time.millis() - 1, false);
          seen.addAll(store.all());
          time.advance(Duration.ofMillis(2));
          expired[0] += store.expireIdle(time.millis());
        }
        return;
      }
      try {
        for (int i = 0; i < PER_WRITER; i++) {
          int h = (i * 7 + thread) % HANDLES;
          counters[h].increment(1);
          timers[h].record(1_000_000L + i);
          if (i % 64 == 0) {
            Thread.yield(); // let some series go idle under the other writers
          }
        }
      } finally {
        writersLeft.decrementAndGet();
      }
    });
    store.harvest(time.millis() - 1, false);
    seen.addAll(store.all());

    double calls = 0;
    long timed = 0;
    for (Series s : seen) {
      Series.Aggregate a = aggregate(s);
      if (s.type == io.orchestra.observability.metrics.MetricType.COUNTER) {
        calls += a.sum;
      } else {
        timed += a.count;
      }
    }
    assertThat(expired[0]).as("series expired during the run").isPositive();
    assertThat(calls).isEqualTo((double) WRITERS * PER_WRITER);
    assertThat(timed).isEqualTo((long) WRITERS * PER_WRITER);
  }

  private static void recordInto(Series s, long nanos) {
    s.timerSketch.record(nanos * 1e-6);
    s.timerCount.increment();
    s.timerTotalNanos.add(nanos);
    s.timerMaxNanos.accumulateAndGet(nanos, Math::max);
    s.timerMinNanos.accumulateAndGet(nanos, Math::min);
  }

  private Series.Aggregate aggregate(Series s) {
    Series.Aggregate a = new Series.Aggregate(store.mapping());
    s.aggregate(0, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, Long.MIN_VALUE / 2, a);
    return a;
  }

  private double sum(Series s) {
    return aggregate(s).sum;
  }
}
