package io.orchestra.benchmarks.observability;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TracingConfig;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One span (start, one attribute, end) through Orchestra's observability engine (the {@code
 * TelemetrySink} port) against the OpenTelemetry Java SDK (SdkTracerProvider, BatchSpanProcessor,
 * a no-op exporter), in the same run. Both create a new trace id per span (Orchestra: {@code
 * TraceContext.newRoot}; OpenTelemetry: its id generator). {@code sampled} keeps every trace;
 * {@code unsampled} keeps none (Orchestra: sampling rate 0, OpenTelemetry: {@code alwaysOff}).
 *
 * <p>What each row counts, per span:
 *
 * <ul>
 *   <li>{@code orchestra}: recording, and moving the span into the trace store (hex ids,
 *       masking, the store insert and the eviction of the oldest trace). The engine's executor
 *       runs the drain on the recording thread whenever the buffer is half full: the cost of the
 *       drain is in the row, spread over the spans it drains. The engine never sheds a span (a
 *       full buffer is drained by the recording thread); the tear-down still fails a trial whose
 *       engine counted any shed ({@code span.buffer_full}), as builds before that change did.
 *       Judging the traces (completion) is not in the row: it happens on collection ticks, and
 *       in {@code orchestraWithProcessing}.
 *   <li>{@code orchestraBackground}: like-for-like with OpenTelemetry's worker thread: the
 *       engine is given a single-thread executor, which drains the buffer into the store on the
 *       second core while the benchmark thread records. Unlike OpenTelemetry's processor nothing
 *       is shed: when the buffer is full the recording thread drains it itself (waiting for a
 *       drain in progress), so the row pays for whatever processing the worker did not keep up
 *       with: in a tight loop that never sheds, the row is bounded by how fast spans are stored,
 *       not by recording. A trial that sheds any span fails at tear-down here too.
 *   <li>{@code openTelemetry}: starting and ending the span; the batch processor's worker thread
 *       exports it (to the no-op exporter) concurrently, and drops spans when its queue is full.
 *       The tear-down prints how many were exported.
 *   <li>{@code orchestraWithProcessing}: 1,000 spans, then {@code flush}: everything Orchestra
 *       does with a span before it can be queried: the above plus completing each trace (judging
 *       it for orphans, loops, error origins and slow spans, and feeding its root operation's
 *       latency baseline). The full analysis (hierarchy object, critical path, dependency-graph
 *       calls) of a small trace without failures is built when a query first asks for it
 *       ({@code CorrelationBenchmark} measures queries).
 *   <li>{@code openTelemetryWithProcessing}: 1,000 spans, then {@code forceFlush}: every span is
 *       turned into export data and handed to the exporter (none dropped).
 *   <li>{@code orchestraBackgroundWithProcessing}: 1,000 spans through the background engine,
 *       then {@code flush}, which waits for a drain in progress on the worker, drains the rest and
 *       judges every trace on the benchmark thread: the counterpart of {@code
 *       openTelemetryWithProcessing}, whose {@code forceFlush} waits for its worker's export.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class SpanBenchmark {
  private static final int BATCH = 1000;

  @Param({"sampled", "unsampled"})
  public String sampling;

  private ObservabilityEngine engine;
  private ObservabilityEngine backgroundEngine;
  private ExecutorService backgroundExecutor;
  private SdkTracerProvider provider;
  private Tracer tracer;
  private NoopExporter exporter;
  private long otelSpans; // spans started; one benchmark thread

  @Setup(Level.Trial)
  public void setUp() {
    boolean sampled = sampling.equals("sampled");
    exporter = new NoopExporter();
    otelSpans = 0;
    ObservabilityConfig config = ObservabilityConfig.builder()
        .tracing(TracingConfig.builder().samplingRate(sampled ? 1.0 : 0.0).build())
        .build();
    engine = ObservabilityEngine.builder()
        .config(config)
        .executor(Runnable::run) // drain on the recording thread: every span recorded is processed
        .build();
    backgroundExecutor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "orchestra-span-drain");
      t.setDaemon(true); // like OpenTelemetry's worker
      return t;
    });
    backgroundEngine = ObservabilityEngine.builder().config(config).executor(backgroundExecutor).build();
    provider = SdkTracerProvider.builder()
        .setSampler(sampled ? Sampler.alwaysOn() : Sampler.alwaysOff())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    tracer = provider.get("bench");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.flush();
    backgroundEngine.flush();
    long shed = engine.badInput().count("span", "buffer_full") + backgroundEngine.badInput().count("span", "buffer_full");
    engine.close();
    backgroundEngine.close();
    backgroundExecutor.shutdown();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    System.out.println("\norchestra spans shed (buffer full): " + shed
        + "; openTelemetry spans exported: " + exporter.exported.sum() + " of " + otelSpans);
    if (shed > 0) {
      throw new IllegalStateException(shed + " Orchestra spans were shed: the row would not count their processing");
    }
  }

  /** Per-thread randomness for new trace ids. */
  @State(Scope.Thread)
  public static class Ids {
    final RandomSource random = RandomSource.system();
  }

  @Benchmark
  public void orchestra(Ids ids) {
    TraceContext ctx = TraceContext.newRoot(ids.random, true);
    engine.startSpan("GET /orders", TelemetrySink.SpanKind.SERVER, ctx, 0, 1_000L)
        .attribute("http.status_code", 200)
        .end(2_000L);
  }

  @Benchmark
  public void orchestraBackground(Ids ids) {
    TraceContext ctx = TraceContext.newRoot(ids.random, true);
    backgroundEngine.startSpan("GET /orders", TelemetrySink.SpanKind.SERVER, ctx, 0, 1_000L)
        .attribute("http.status_code", 200)
        .end(2_000L);
  }

  @Benchmark
  public void openTelemetry() {
    otelSpans++;
    tracer.spanBuilder("GET /orders")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
        .startSpan()
        .setAttribute("http.status_code", 200)
        .end();
  }

  /**
   * 1,000 spans and then a flush, so that the cost per span includes all processing and nothing
   * is shed: Orchestra stores, masks and judges the traces (see the class comment);
   * OpenTelemetry hands them to the no-op exporter.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void orchestraWithProcessing(Ids ids) {
    for (int i = 0; i < BATCH; i++) {
      orchestra(ids);
    }
    engine.flush();
  }

  /** {@link #orchestraWithProcessing} with the drains on the background executor (see the class comment). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void orchestraBackgroundWithProcessing(Ids ids) {
    for (int i = 0; i < BATCH; i++) {
      orchestraBackground(ids);
    }
    backgroundEngine.flush();
  }

  /** The OpenTelemetry counterpart of {@link #orchestraWithProcessing}. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void openTelemetryWithProcessing() {
    for (int i = 0; i < BATCH; i++) {
      openTelemetry();
    }
    provider.forceFlush().join(10, TimeUnit.SECONDS);
  }

  /** Exports nothing; counts what it was given. */
  static final class NoopExporter implements SpanExporter {
    final LongAdder exported = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
      exported.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
