package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.metrics.Metric;
import io.orchestra.observability.metrics.MetricsResult;
import io.orchestra.observability.metrics.RejectReason;
import io.orchestra.observability.metrics.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollupTest {
  private static final long MINUTE = 60_000;

  @Test
  void collectedValuesRollUpIntoEveryLevelAcrossWindowBoundaries() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      long start = time.millis();
      // One value every 20 s for 11 minutes: windows of 1m hold 3 values, 5m windows 15.
      List<Double> all = new ArrayList<>();
      for (int i = 0; i < 33; i++) {
        double v = 10 + i;
        all.add(v);
        engine.collectServiceMetrics("orders", Map.of("queue_depth", v));
        time.advance(Duration.ofSeconds(20));
      }
      TimeWindow window = new TimeWindow(start, time.millis());
      List<Rollup> minutes = engine.rollups("orders", "queue_depth", Map.of(), 0, window);
      assertThat(minutes).hasSize(11);
      for (int m = 0; m < 11; m++) {
        Rollup r = minutes.get(m);
        assertThat(r.startEpochMillis()).isEqualTo(start + m * MINUTE);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.sum()).isEqualTo(3 * (10 + 3 * m) + 3);
        assertThat(r.min()).isEqualTo(10 + 3 * m);
        assertThat(r.max()).isEqualTo(12 + 3 * m);
        assertThat(r.last()).isEqualTo(12 + 3 * m);
      }
      List<Rollup> fives = engine.rollups("orders", "queue_depth", Map.of(), 1, window);
      assertThat(fives).extracting(Rollup::count).containsExactly(15L, 15L, 3L);
      assertThat(fives.get(1).sum()).isEqualTo(all.subList(15, 30).stream().mapToDouble(Double::doubleValue).sum());
      List<Rollup> hours = engine.rollups("orders", "queue_depth", Map.of(), 2, window);
      assertThat(hours).singleElement().satisfies(h -> {
        assertThat(h.count()).isEqualTo(33);
        assertThat(h.min()).isEqualTo(10);
        assertThat(h.max()).isEqualTo(42);
      });
      // The 1m windows of a level sum to the coarser window exactly.
      double minuteSum = minutes.stream().mapToDouble(Rollup::sum).sum();
      assertThat(hours.get(0).sum()).isEqualTo(minuteSum);
    }
  }

  @Test
  void sinkHandlesAreHarvestedIntoTheWindowOfTheirIntervalAndQuantilesStayWithinOnePercent() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      TelemetrySink sink = engine;
      TelemetrySink.Counter requests = sink.counter("orchestra.test.requests", Tags.of("service", "api", "route", "/a"));
      TelemetrySink.Timer latency = sink.timer("orchestra.test.latency", Tags.of("service", "api"));
      Random random = new Random(7);
      double[] minute0 = new double[3000];
      for (int i = 0; i < 3000; i++) {
        requests.increment();
        long nanos = (long) (Math.exp(2 + random.nextGaussian() * 0.7) * 1e6);
        minute0[i] = nanos / 1e6;
        latency.record(nanos);
      }
      time.advance(Duration.ofSeconds(59)); // harvest ticks at :15, :30, :45 have run
      requests.increment(5);
      time.advance(Duration.ofSeconds(2)); // the :60 tick harvests those 5 into minute 0
      requests.increment(7); // minute 1
      time.advance(Duration.ofSeconds(60));
      TimeWindow window = new TimeWindow(time.millis() - 3 * MINUTE, time.millis());
      List<Rollup> counts = engine.rollups("api", "orchestra.test.requests", Map.of("route", "/a"), 0, window);
      assertThat(counts).extracting(Rollup::sum).containsExactly(3005.0, 7.0);
      List<Rollup> lat = engine.rollups("api", "orchestra.test.latency", Map.of(), 0, window);
      assertThat(lat).hasSize(1);
      Arrays.sort(minute0);
      Rollup r = lat.get(0);
      assertThat(r.count()).isEqualTo(3000);
      for (double[] q : new double[][] {{0.5, r.p50()}, {0.95, r.p95()}, {0.99, r.p99()}}) {
        double exact = minute0[(int) Math.floor(q[0] * (minute0.length - 1))];
        assertThat(Math.abs(q[1] - exact) / exact).as("q%s", q[0]).isLessThanOrEqualTo(0.01 + 1e-9);
      }
      assertThat(r.sum()).isCloseTo(Arrays.stream(minute0).sum(), within(1e-3));
      assertThat(r.max()).isCloseTo(minute0[minute0.length - 1], within(1e-6));
    }
  }

  @Test
  void aRollupQueryWithAMissingArgument_failsNamingIt() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      TimeWindow window = TimeWindow.last(Duration.ofMinutes(5), time);
      assertThatThrownBy(() -> engine.rollups("orders", "queue_depth", null, 0, window))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("labels must not be null");
      assertThatThrownBy(() -> engine.rollups(null, "queue_depth", Map.of(), 0, window)).hasMessageContaining("service");
      assertThatThrownBy(() -> engine.rollups("orders", null, Map.of(), 0, window)).hasMessageContaining("metric");
      assertThatThrownBy(() -> engine.rollups("orders", "queue_depth", Map.of(), 0, null)).hasMessageContaining("window");
      assertThat(engine.rollups("orders", "queue_depth", Map.of(), 0, window)).isEmpty();
    }
  }

  @Test
  void normalizesNamesAndLabelsAndRejectsInvalidValuesWithReasons() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.builder().environment("staging").cluster("eu-1").build()).build()) {
      Map<String, Number> raw = new LinkedHashMap<>();
      raw.put("HTTP_Request_Duration_ms", 12.5);
      raw.put("db_connections", 4);
      raw.put("cache_hits_total", 10);
      raw.put("cpu_usage", Double.NaN);
      raw.put("memory_bytes", Double.POSITIVE_INFINITY);
      raw.put("errors_total", -1);
      raw.put("_", 1);
      raw.put("nulls", null);
      MetricsResult r = engine.collectServiceMetrics("orders", raw);
      assertThat(r.accepted()).extracting(Metric::name)
          .containsExactly("http.request.duration.ms", "db.connections", "cache.hits");
      assertThat(r.accepted().get(0).labels()).containsEntry("component", "http").containsEntry("service", "orders")
          .containsEntry("environment", "staging").containsEntry("cluster", "eu-1");
      assertThat(r.accepted().get(1).labels()).containsEntry("component", "database");
      assertThat(r.accepted().get(2).labels()).containsEntry("component", "cache");
      assertThat(r.rejected()).extracting(x -> x.reason())
          .containsExactly(RejectReason.NAN, RejectReason.INFINITE, RejectReason.NEGATIVE_COUNTER, RejectReason.INVALID_NAME, RejectReason.NOT_A_NUMBER);
      BadInputReport bad = engine.badInput();
      assertThat(bad.count("metric", "nan")).isEqualTo(1);
      assertThat(bad.count("metric", "negative_counter")).isEqualTo(1);
      engine.counter("x.y", Tags.empty()).increment(-3);
      assertThat(engine.badInput().count("metric", "negative_counter")).isEqualTo(2);
    }
  }

  @Test
  void cumulativeCountersStoreIncreasesAndTreatADropAsAReset() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      for (double v : new double[] {100, 130, 160, 5, 25}) {
        engine.collectServiceMetrics("orders", Map.of("requests_total", v));
        time.advance(Duration.ofSeconds(10));
      }
      List<Rollup> r = engine.rollups("orders", "requests", Map.of(), 0, TimeWindow.last(Duration.ofMinutes(5), time));
      assertThat(r).singleElement().satisfies(w -> assertThat(w.sum()).isEqualTo(30 + 30 + 5 + 20));
    }
  }

  @Test
  void nothingOlderThanTheRetentionIsReturnedAndEachLevelKeepsAFixedNumberOfWindows() {
    List<Duration> levels = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5));
    // Retention bound: 10 minutes of 1m windows out of 30 minutes of data.
    assertThat(windowStartsAfter30Minutes(MetricsConfig.builder().retention(Duration.ofMinutes(10)).aggregationLevels(levels).build(), 0))
        .containsExactly(20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
    // Ring bound: 3 windows per level, the older ones were overwritten.
    MetricsConfig ring = MetricsConfig.builder().aggregationLevels(levels).maxWindowsPerLevel(3).build();
    assertThat(windowStartsAfter30Minutes(ring, 0)).containsExactly(27L, 28L, 29L);
    assertThat(windowStartsAfter30Minutes(ring, 1)).containsExactly(15L, 20L, 25L);
  }

  /** Minute offsets of the windows of {@code level} after one value per minute for 30 minutes. */
  private static List<Long> windowStartsAfter30Minutes(MetricsConfig metrics, int level) {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.builder().metrics(metrics).build()).build()) {
      long start = time.millis();
      for (int m = 0; m < 30; m++) {
        engine.collectServiceMetrics("orders", Map.of("queue_depth", m));
        time.advance(Duration.ofMinutes(1));
      }
      List<Long> starts = new ArrayList<>();
      for (Rollup r : engine.rollups("orders", "queue_depth", Map.of(), level, new TimeWindow(start, time.millis()))) {
        starts.add((r.startEpochMillis() - start) / MINUTE);
      }
      return starts;
    }
  }
}
