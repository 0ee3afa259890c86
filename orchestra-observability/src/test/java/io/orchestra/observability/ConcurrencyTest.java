package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.metrics.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 20_000;

  @Test
  void eightThreadsRecordingWhileHarvestsRunLoseNothing() throws Exception {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = Engines.allSampled().toBuilder()
        .tracing(TracingConfig.builder().samplingRate(1.0).spanBufferSize(1 << 16).maxStoredTraces(200_000).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      TelemetrySink.Counter counter = engine.counter("orchestra.test.calls", Tags.of("service", "api"));
      TelemetrySink.Timer timer = engine.timer("orchestra.test.latency", Tags.of("service", "api"));
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          RandomSource random = RandomSource.seeded(seed);
          start.await();
          for (int i = 0; i < PER_THREAD; i++) {
            counter.increment();
            timer.record(1_000_000L + i);
            if (i % 100 == 0) {
              TraceContext ctx = TraceContext.newRoot(random, true);
              engine.startSpan("op", TelemetrySink.SpanKind.SERVER, ctx, 0, Spans.BASE).end(Spans.BASE + 1_000_000);
            }
          }
          return null;
        }));
      }
      Future<?> harvester = pool.submit(() -> {
        start.await();
        for (int i = 0; i < 200; i++) {
          engine.flush(); // harvest and drain concurrently with recording
        }
        return null;
      });
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      harvester.get(60, TimeUnit.SECONDS);
      pool.shutdown();
      engine.flush();
      TimeWindow w = TimeWindow.last(Duration.ofMinutes(1), time);
      double calls = engine.rollups("api", "orchestra.test.calls", Map.of(), 0, w).stream().mapToDouble(Rollup::sum).sum();
      List<Rollup> latency = engine.rollups("api", "orchestra.test.latency", Map.of(), 0, w);
      long timed = latency.stream().mapToLong(Rollup::count).sum();
      // Every recorded duration is 1.000 to 1.020 ms, however the harvests interleaved.
      assertThat(latency).allSatisfy(r -> {
        assertThat(r.min()).isBetween(0.99, 1.0201);
        assertThat(r.max()).isBetween(0.99, 1.0201 * 1.01);
      });
      assertThat(calls).isEqualTo(THREADS * PER_THREAD);
      assertThat(timed).isEqualTo(THREADS * PER_THREAD);
      // A full span buffer is drained by the recording thread, never shed.
      assertThat(engine.badInput().count("span", "buffer_full")).isZero();
      var correlation = engine.correlateObservabilityData(new TimeWindow(Spans.BASE / 1_000_000 - 1, time.millis() + 1));
      assertThat(correlation.requestCount()).isEqualTo(THREADS * PER_THREAD / 100);
    }
  }
}
