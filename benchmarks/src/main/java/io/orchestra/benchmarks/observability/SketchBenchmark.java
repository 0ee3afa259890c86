package io.orchestra.benchmarks.observability;

import io.orchestra.observability.internal.ConcurrentSketch;
import io.orchestra.observability.internal.QuantileSketch;
import io.orchestra.observability.internal.SketchMapping;
import java.util.Arrays;
import java.util.Random;
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
 * Recording one value into the quantile sketch behind every roll-up (single-threaded, as the
 * roll-up windows use it) and into its concurrent variant (as timer handles use it), at the
 * configured relative error. Values are log-normal latencies (median 20 ms) cycled from a
 * pre-generated array. At tear-down the observed relative error of p50, p95, p99 and p99.9
 * against the exact quantiles is printed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class SketchBenchmark {
  @Param({"0.01"})
  public double relativeError;

  private double[] values;
  private int next;
  private QuantileSketch sketch;
  private ConcurrentSketch concurrent;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    values = new double[1 << 16];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(3 + random.nextGaussian());
    }
    SketchMapping mapping = new SketchMapping(relativeError);
    sketch = new QuantileSketch(mapping);
    concurrent = new ConcurrentSketch(mapping);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    QuantileSketch check = new QuantileSketch(new SketchMapping(relativeError));
    for (double v : values) {
      check.record(v);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    StringBuilder out = new StringBuilder("\nsketch relative error:");
    for (double q : new double[] {0.5, 0.95, 0.99, 0.999}) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      out.append(String.format(" p%s=%.4f%%", q * 100, Math.abs(check.quantile(q) - exact) / exact * 100));
    }
    System.out.println(out);
  }

  @Benchmark
  public void record() {
    sketch.record(values[next++ & (values.length - 1)]);
  }

  @Benchmark
  public void recordConcurrent() {
    concurrent.record(values[next++ & (values.length - 1)]);
  }
}
