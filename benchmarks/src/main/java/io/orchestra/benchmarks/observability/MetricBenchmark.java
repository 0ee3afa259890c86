package io.orchestra.benchmarks.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.observability.ObservabilityEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording on a cached, labelled handle: Orchestra's engine (counter: one {@code DoubleAdder};
 * timer: an atomic log-bucket sketch plus count, sum, min, max) against a Micrometer counter and
 * timer on a {@code SimpleMeterRegistry}, in the same run. Run with {@code -prof gc}: the target
 * is 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class MetricBenchmark {
  private ObservabilityEngine engine;
  private TelemetrySink.Counter counter;
  private TelemetrySink.Timer timer;
  private Counter micrometerCounter;
  private Timer micrometerTimer;
  private long nanos = 1_234_567;

  @Setup(Level.Trial)
  public void setUp() {
    engine = ObservabilityEngine.builder().build();
    Tags tags = Tags.of("service", "orders", "route", "/orders/{id}", "method", "GET", "outcome", "success");
    counter = engine.counter("orchestra.bench.requests", tags);
    timer = engine.timer("orchestra.bench.latency", tags);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    micrometerCounter = Counter.builder("bench.requests").tags("service", "orders", "route", "/orders/{id}", "method", "GET", "outcome", "success").register(registry);
    micrometerTimer = Timer.builder("bench.latency").tags("service", "orders", "route", "/orders/{id}", "method", "GET", "outcome", "success").register(registry);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public void orchestraCounter() {
    counter.increment();
  }

  @Benchmark
  public void micrometerCounter() {
    micrometerCounter.increment();
  }

  @Benchmark
  public void orchestraTimer() {
    timer.record(nanos);
  }

  @Benchmark
  public void micrometerTimer() {
    micrometerTimer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
