package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.BadInputReport;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.TracingConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A full span buffer is drained by the recording thread (caller-runs), never shed, and a
 * background drainer racing recording threads that drain stores every span exactly once.
 */
class SpanBackpressureTest {
  private static final long BASE = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z in nanos
  private static final int BUFFER = 16; // the smallest allowed, so that it fills all the time

  private static TracePipeline pipeline(BadInputCounters bad, java.util.concurrent.Executor executor) {
    ObservabilityConfig config = ObservabilityConfig.builder()
        .tracing(TracingConfig.builder().samplingRate(1.0).spanBufferSize(BUFFER).maxStoredTraces(100_000).build())
        .build();
    return new TracePipeline(config, bad, new VirtualTime(Instant.parse("2026-01-01T00:00:00Z")), executor);
  }

  @Test
  @DisplayName("a full buffer is drained by the recording thread when the executor has not run; nothing is shed or stored twice")
  void fullBufferIsDrainedByTheRecordingThread() {
    List<Runnable> held = new ArrayList<>(); // an executor that is too busy to run anything yet
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(bad, held::add);
    RandomSource random = RandomSource.seeded(7);
    List<TraceContext> traces = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TraceContext ctx = TraceContext.newRoot(random, true);
      traces.add(ctx);
      p.startSpan("op", SpanKind.SERVER, ctx, 0, BASE + i).attribute("i", i).end(BASE + i + 1_000);
    }

    // size() does not drain: whatever is stored, the recording thread put there.
    assertThat(held).hasSize(1);
    assertThat(p.size()).isGreaterThanOrEqualTo(100 - BUFFER);
    assertThat(bad.snapshot().count("span", "buffer_full")).isZero();

    held.forEach(Runnable::run); // the late background drain takes what is left
    p.complete(true);
    assertThat(p.size()).isEqualTo(100);
    for (TraceContext ctx : traces) {
      assertThat(p.analysis(ctx.traceIdHex()).spansById()).containsOnlyKeys(ctx.spanIdHex());
    }
    assertThat(bad.snapshot().count("span", "duplicate_span_id")).isZero();
  }

  @Test
  @DisplayName("a rejecting executor leaves the drains to the recording thread; nothing is shed")
  void rejectingExecutorStillStoresEverySpan() {
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(bad, task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    });
    RandomSource random = RandomSource.seeded(8);
    for (int i = 0; i < 1_000; i++) {
      p.startSpan("op", SpanKind.SERVER, TraceContext.newRoot(random, true), 0, BASE + i).end(BASE + i + 1_000);
    }
    p.complete(true);
    assertThat(p.size()).isEqualTo(1_000);
    assertThat(bad.snapshot().count("span", "buffer_full")).isZero();
  }

  @Test
  @DisplayName("eight recording threads, a background drainer and a completing thread: every span stored exactly once")
  void manyThreadsWithABackgroundDrainerLoseAndDuplicateNothing() throws Exception {
    int threads = 8;
    int tracesPerThread = 400;
    int spansPerTrace = 10;
    ExecutorService drainer = Executors.newSingleThreadExecutor();
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(bad, drainer);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Map<String, Set<String>>>> recorded = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      recorded.add(pool.submit(() -> {
        RandomSource random = RandomSource.seeded(seed);
        Map<String, Set<String>> mine = new HashMap<>();
        start.await();
        for (int i = 0; i < tracesPerThread; i++) {
          TraceContext root = TraceContext.newRoot(random, true);
          Set<String> ids = new HashSet<>();
          mine.put(root.traceIdHex(), ids);
          for (int k = 0; k < spansPerTrace; k++) {
            TraceContext ctx = k == 0 ? root : root.newChild(random);
            long parent = k == 0 ? 0 : root.spanId();
            p.startSpan("op", SpanKind.SERVER, ctx, parent, BASE + k).attribute("k", k).end(BASE + k + 1_000);
            ids.add(ctx.spanIdHex());
          }
        }
        return mine;
      }));
    }
    Future<?> completer = pool.submit(() -> {
      start.await();
      for (int i = 0; i < 200; i++) {
        p.complete(i % 2 == 0); // a third drainer, through the store's monitor
      }
      return null;
    });
    start.countDown();
    Map<String, Set<String>> expected = new HashMap<>();
    for (Future<Map<String, Set<String>>> f : recorded) {
      expected.putAll(f.get(60, TimeUnit.SECONDS));
    }
    completer.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    drainer.shutdown();
    assertThat(drainer.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    p.complete(true);

    assertThat(expected).hasSize(threads * tracesPerThread);
    assertThat(p.size()).isEqualTo(threads * tracesPerThread);
    for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
      assertThat(p.analysis(e.getKey()).spansById().keySet()).isEqualTo(e.getValue());
    }
    BadInputReport report = bad.snapshot();
    assertThat(report.count("span", "buffer_full")).isZero();
    assertThat(report.count("span", "duplicate_span_id")).isZero();
    assertThat(report.count("span", "unknown_parent")).isZero();
  }
}
