package io.orchestra.benchmarks.observability;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.LoggingConfig;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.TracingConfig;
import io.orchestra.observability.correlation.CorrelationResult;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code correlateObservabilityData} over a window holding {@code spans} spans (traces of 10 spans
 * across 5 services, 1 in 20 failing in a downstream service) and {@code logs} log lines (logfmt,
 * carrying the trace ids, errors where the traces fail). Setup ingests everything through the
 * public API; the benchmark is one full correlation (by service, by request, cross-service
 * origins, dependency graph, insights).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class CorrelationBenchmark {
  private static final String[] SERVICES = {"gateway", "checkout", "payments", "inventory", "ledger"};
  private static final long BASE = 1_767_225_600_000_000_000L;

  @Param({"100000"})
  public int spans;

  @Param({"100000"})
  public int logs;

  private ObservabilityEngine engine;
  private TimeWindow window;

  @Setup(Level.Trial)
  public void setUp() {
    VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
    int traces = spans / 10;
    engine = ObservabilityEngine.builder()
        .clock(time).ticker(time).scheduler(time).executor(Runnable::run)
        .config(ObservabilityConfig.builder()
            .tracing(TracingConfig.builder().samplingRate(1.0).maxStoredTraces(traces + 1).build())
            .logging(LoggingConfig.builder().maxStoredLogs(logs + 1).build())
            .build())
        .build();
    List<String> batch = new ArrayList<>();
    int logsPerTrace = Math.max(1, logs / traces);
    for (int t = 0; t < traces; t++) {
      String traceId = String.format("%016x%016x", 0x5eedL + t, 0x9e3779b97f4a7c15L * (t + 1));
      boolean fail = t % 20 == 0;
      List<SpanData> list = new ArrayList<>(10);
      long start = BASE + t * 1_000_000L;
      for (int s = 0; s < 10; s++) {
        String service = SERVICES[Math.min(s / 2, SERVICES.length - 1)];
        String parent = s == 0 ? null : String.format("%016x", s);
        SpanData.Builder b = SpanData.builder(traceId, String.format("%016x", s + 1)).parent(parent)
            .service(service).operation("op" + s).kind(SpanKind.SERVER)
            .time(start + s * 1_000, start + 50_000_000L - s * 1_000).attributes(Map.of());
        if (fail && s >= 6) {
          b.error("timeout");
        }
        list.add(b.build());
      }
      engine.collectDistributedTrace(new TraceData(traceId, list));
      for (int l = 0; l < logsPerTrace; l++) {
        String service = SERVICES[l % SERVICES.length];
        batch.add("level=" + (fail && l == 0 ? "error" : "info") + " msg=\"step " + l + " done\" trace_id=" + traceId + " duration_ms=" + (l + 3));
        if (batch.size() == 1000) {
          engine.processServiceLogs(service, batch);
          batch = new ArrayList<>();
        }
      }
    }
    if (!batch.isEmpty()) {
      engine.processServiceLogs("gateway", batch);
    }
    window = new TimeWindow(BASE / 1_000_000 - 1, time.millis() + 3_600_000);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    CorrelationResult r = engine.correlateObservabilityData(window);
    System.out.println("\nrequests " + r.requestCount() + ", services " + r.serviceCorrelations().size()
        + ", cross-service issues " + r.crossServiceIssues().size());
    engine.close();
  }

  @Benchmark
  public CorrelationResult correlate() {
    return engine.correlateObservabilityData(window);
  }
}
