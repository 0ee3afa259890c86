package io.orchestra.benchmarks.observability;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TracingConfig;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * {@link SpanBenchmark}'s rows measured in CPU time instead of wall-clock time, for hosts too
 * loaded (other builds on a two-core machine) for JMH's averages to mean anything: per span, the
 * recording thread's CPU time (ThreadMXBean), the whole process's CPU time (which includes
 * OpenTelemetry's and the background engine's worker threads, and the collector's threads) and
 * the bytes the recording thread allocated. Another process on the same cores still slows the
 * caches, so compare builds back to back, several times, and read the minimum.
 *
 * <p>The rows and their set-up are {@link SpanBenchmark}'s (sampled only). To A/B an older
 * build, put its jar first on the class path: {@code java -cp old.jar:benchmarks.jar
 * io.orchestra.benchmarks.observability.SpanCpuHarness [rows,comma,separated|all] [rounds]}
 * (an older build has no background rows' behaviour: it sheds, and says so at the end).
 * System properties: {@code spans} per round (default 500,000).
 */
public final class SpanCpuHarness {
  private static final int BATCH = 1000;

  private SpanCpuHarness() {}

  /** Runs the rows named in {@code args[0]} (default all) for {@code args[1]} rounds (default 9). */
  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "all";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    int n = Integer.getInteger("spans", 500_000) / BATCH * BATCH;
    RandomSource random = RandomSource.system();
    ObservabilityEngine inline = engine(Runnable::run);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "orchestra-span-drain");
      t.setDaemon(true);
      return t;
    });
    ObservabilityEngine background = engine(worker);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setSampler(Sampler.alwaysOn())
        .addSpanProcessor(BatchSpanProcessor.builder(new SpanBenchmark.NoopExporter()).build())
        .build();
    Tracer tracer = provider.get("bench");

    Map<String, IntConsumer> rows = new LinkedHashMap<>();
    rows.put("orchestra", k -> spans(inline, random, k));
    rows.put("orchestraWithProcessing", k -> batches(k, () -> spans(inline, random, BATCH), inline::flush));
    rows.put("orchestraBackground", k -> spans(background, random, k));
    rows.put("orchestraBackgroundWithProcessing", k -> batches(k, () -> spans(background, random, BATCH), background::flush));
    rows.put("openTelemetry", k -> otel(tracer, k));
    rows.put("openTelemetryWithProcessing", k -> batches(k, () -> otel(tracer, BATCH),
        () -> provider.forceFlush().join(10, TimeUnit.SECONDS)));

    List<String> wanted = Arrays.asList(which.split(","));
    for (Map.Entry<String, IntConsumer> row : rows.entrySet()) {
      if (which.equals("all") || wanted.contains(row.getKey())) {
        measure(row.getKey(), row.getValue(), n, rounds);
      }
    }
    inline.flush();
    background.flush();
    System.out.println("orchestra spans shed (buffer full): inline " + inline.badInput().count("span", "buffer_full")
        + ", background " + background.badInput().count("span", "buffer_full"));
    inline.close();
    background.close();
    worker.shutdown();
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static void measure(String name, IntConsumer row, int n, int rounds) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long id = Thread.currentThread().getId();
    for (int w = 0; w < 5; w++) {
      row.accept(n); // warm-up
    }
    long[] thread = new long[rounds];
    long[] process = new long[rounds];
    long[] bytes = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long b0 = threads.getThreadAllocatedBytes(id);
      long p0 = os.getProcessCpuTime();
      long t0 = threads.getCurrentThreadCpuTime();
      row.accept(n);
      thread[i] = threads.getCurrentThreadCpuTime() - t0;
      process[i] = os.getProcessCpuTime() - p0;
      bytes[i] = threads.getThreadAllocatedBytes(id) - b0;
    }
    Arrays.sort(thread);
    Arrays.sort(process);
    Arrays.sort(bytes);
    System.out.printf("%-34s thread-cpu min %6.1f median %6.1f ns  process-cpu min %6.1f median %6.1f ns  %6.1f B/span (recording thread)%n",
        name, thread[0] / (double) n, thread[rounds / 2] / (double) n,
        process[0] / (double) n, process[rounds / 2] / (double) n, bytes[rounds / 2] / (double) n);
  }

  private static ObservabilityEngine engine(Executor executor) {
    return ObservabilityEngine.builder()
        .config(ObservabilityConfig.builder().tracing(TracingConfig.builder().samplingRate(1.0).build()).build())
        .executor(executor)
        .build();
  }

  private static void spans(ObservabilityEngine engine, RandomSource random, int k) {
    for (int i = 0; i < k; i++) {
      TraceContext ctx = TraceContext.newRoot(random, true);
      engine.startSpan("GET /orders", TelemetrySink.SpanKind.SERVER, ctx, 0, 1_000L)
          .attribute("http.status_code", 200)
          .end(2_000L);
    }
  }

  private static void otel(Tracer tracer, int k) {
    for (int i = 0; i < k; i++) {
      tracer.spanBuilder("GET /orders")
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
          .startSpan()
          .setAttribute("http.status_code", 200)
          .end();
    }
  }

  private static void batches(int k, Runnable batch, Runnable flush) {
    for (int b = 0; b < k / BATCH; b++) {
      batch.run();
      flush.run();
    }
  }
}
