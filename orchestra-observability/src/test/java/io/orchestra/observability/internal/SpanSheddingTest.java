package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.TracingConfig;
import io.orchestra.observability.traces.BufferFullPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code whenBufferFull}: SHED drops and counts the span at a full buffer and never waits for
 * the store; DRAIN (the default, see {@link SpanBackpressureTest}) keeps it and may wait.
 */
class SpanSheddingTest {
  private static final long BASE = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z in nanos
  private static final int BUFFER = 16; // the smallest allowed
  private static final long GUARD_SECONDS = 30; // failure guard only, never a timing assertion

  private static TracePipeline pipeline(BufferFullPolicy policy, BadInputCounters bad, Executor executor) {
    ObservabilityConfig config = ObservabilityConfig.builder()
        .tracing(TracingConfig.builder()
            .samplingRate(1.0)
            .spanBufferSize(BUFFER)
            .maxStoredTraces(100_000)
            .whenBufferFull(policy)
            .build())
        .build();
    return new TracePipeline(config, bad, new VirtualTime(Instant.parse("2026-01-01T00:00:00Z")), executor);
  }

  private static void record(TracePipeline p, TraceContext ctx, int i) {
    p.startSpan("op", SpanKind.SERVER, ctx, 0, BASE + i).attribute("i", i).end(BASE + i + 1_000);
  }

  @Test
  @DisplayName("SHED with an executor that has not run: the buffer's worth is stored, the rest counted as buffer_full")
  void shedKeepsTheBufferAndCountsTheRest() {
    List<Runnable> held = new ArrayList<>();
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(BufferFullPolicy.SHED, bad, held::add);
    RandomSource random = RandomSource.seeded(7);
    List<TraceContext> traces = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TraceContext ctx = TraceContext.newRoot(random, true);
      traces.add(ctx);
      record(p, ctx, i);
    }

    // size() does not drain: the recording thread stored nothing itself.
    assertThat(held).hasSize(1);
    assertThat(p.size()).isZero();

    held.forEach(Runnable::run);
    p.complete(true);
    assertThat(p.size()).isEqualTo(BUFFER);
    assertThat(bad.snapshot().count("span", "buffer_full")).isEqualTo(100 - BUFFER);
    for (int i = 0; i < traces.size(); i++) {
      TraceAnalysis a = p.analysis(traces.get(i).traceIdHex());
      if (i < BUFFER) {
        assertThat(a.spansById()).containsOnlyKeys(traces.get(i).spanIdHex());
      } else {
        assertThat(a).as("span %s came after the buffer filled", i).isNull();
      }
    }
    p.drain();
    assertThat(bad.snapshot().count("span", "buffer_full")).as("counted once").isEqualTo(100 - BUFFER);
  }

  @Test
  @DisplayName("SHED: ending spans at a full buffer returns while a query holds the store")
  void shedNeverWaitsForAQueryHoldingTheStore() throws Exception {
    List<Runnable> held = Collections.synchronizedList(new ArrayList<>());
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(BufferFullPolicy.SHED, bad, held::add);
    RandomSource random = RandomSource.seeded(8);
    record(p, TraceContext.newRoot(random, true), 0);
    p.drain();

    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> query = blockingQuery(p, inside, release);
    assertThat(inside.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> recording = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= BUFFER + 10; i++) {
        record(p, TraceContext.newRoot(random, true), i);
      }
    }, runnable -> new Thread(runnable, "recording").start());
    recording.get(GUARD_SECONDS, TimeUnit.SECONDS); // fails here when recording waits for the query
    assertThat(query).as("the query still holds the store").isNotDone();
    assertThat(release.getCount()).isEqualTo(1);

    release.countDown();
    query.get(GUARD_SECONDS, TimeUnit.SECONDS);
    p.drain();
    assertThat(p.size()).isEqualTo(1 + BUFFER);
    assertThat(bad.snapshot().count("span", "buffer_full")).isEqualTo(10);
  }

  @Test
  @DisplayName("DRAIN: ending a span at a full buffer waits for a query holding the store, then keeps every span")
  void drainWaitsForAQueryHoldingTheStore() throws Exception {
    List<Runnable> held = Collections.synchronizedList(new ArrayList<>());
    BadInputCounters bad = new BadInputCounters(null);
    TracePipeline p = pipeline(BufferFullPolicy.DRAIN, bad, held::add);
    RandomSource random = RandomSource.seeded(9);
    record(p, TraceContext.newRoot(random, true), 0);
    p.drain();

    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> query = blockingQuery(p, inside, release);
    assertThat(inside.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

    List<TraceContext> recorded = Collections.synchronizedList(new ArrayList<>());
    Thread recorder = new Thread(() -> {
      for (int i = 1; i <= BUFFER + 10; i++) {
        TraceContext ctx = TraceContext.newRoot(random, true);
        record(p, ctx, i);
        recorded.add(ctx);
      }
    }, "recording");
    recorder.start();
    // The recording thread reaches the store's monitor, held by the query, and waits there.
    long guard = TimeUnit.SECONDS.toNanos(GUARD_SECONDS) + System.nanoTime();
    while (recorder.getState() != Thread.State.BLOCKED) {
      assertThat(System.nanoTime() - guard).as("recording thread never blocked").isNegative();
      assertThat(recorder.isAlive()).as("recording finished without waiting").isTrue();
      Thread.onSpinWait();
    }
    assertThat(recorded).hasSize(BUFFER);

    release.countDown();
    query.get(GUARD_SECONDS, TimeUnit.SECONDS);
    recorder.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
    assertThat(recorder.isAlive()).isFalse();
    p.drain();
    assertThat(p.size()).isEqualTo(1 + BUFFER + 10);
    assertThat(bad.snapshot().count("span", "buffer_full")).isZero();
  }

  /** A query whose visitor holds the store's monitor from {@code inside} until {@code release}. */
  private static CompletableFuture<Void> blockingQuery(TracePipeline p, CountDownLatch inside, CountDownLatch release) {
    return CompletableFuture.runAsync(() -> p.forEachAnalysis(0, Long.MAX_VALUE, a -> {
      inside.countDown();
      try {
        if (!release.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }), runnable -> new Thread(runnable, "query").start());
  }
}
