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
import java.util.concurrent.TimeUnit;
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
 * Recording one span (start, one attribute, end) through Orchestra's observability engine (the
 * {@code TelemetrySink} port: lock-free buffer, drained into the trace store on a background
 * thread) against the OpenTelemetry Java SDK (SdkTracerProvider, BatchSpanProcessor, a no-op
 * exporter), in the same run. Both create a new trace id per span (Orchestra: {@code
 * TraceContext.newRoot}; OpenTelemetry: its id generator). {@code sampled} keeps every trace;
 * {@code unsampled} keeps none (Orchestra: sampling rate 0, OpenTelemetry: {@code alwaysOff}).
 * When a background drain falls behind, both shed spans instead of blocking (Orchestra counts
 * them as {@code span.buffer_full}, printed at tear-down).
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
  private SdkTracerProvider provider;
  private Tracer tracer;

  @Setup(Level.Trial)
  public void setUp() {
    boolean sampled = sampling.equals("sampled");
    engine = ObservabilityEngine.builder()
        .config(ObservabilityConfig.builder()
            .tracing(TracingConfig.builder().samplingRate(sampled ? 1.0 : 0.0).build())
            .build())
        .build();
    provider = SdkTracerProvider.builder()
        .setSampler(sampled ? Sampler.alwaysOn() : Sampler.alwaysOff())
        .addSpanProcessor(BatchSpanProcessor.builder(new NoopExporter()).build())
        .build();
    tracer = provider.get("bench");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.flush();
    System.out.println("\norchestra spans shed (buffer full): " + engine.badInput().count("span", "buffer_full"));
    engine.close();
    provider.shutdown().join(10, TimeUnit.SECONDS);
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
  public void openTelemetry() {
    tracer.spanBuilder("GET /orders")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
        .startSpan()
        .setAttribute("http.status_code", 200)
        .end();
  }

  /**
   * 1,000 spans and then a flush, so that the cost per span includes processing and nothing is
   * shed: Orchestra assembles the traces into its store (hierarchy, trace metrics, dependency
   * graph); OpenTelemetry hands them to the no-op exporter.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void orchestraWithProcessing(Ids ids) {
    for (int i = 0; i < BATCH; i++) {
      orchestra(ids);
    }
    engine.flush();
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

  /** Exports nothing. */
  static final class NoopExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
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
