package io.orchestra.benchmarks.core;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.time.Ticker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Circuit breaker hot path: acquire a permission, record the outcome. Orchestra's breaker and
 * Resilience4j's, both with their default configuration (count-based window of 100 calls), in
 * the same run; single-threaded and with two threads contending on one breaker. The plain
 * methods record only successes (a healthy service); the {@code MixedOutcomes} ones fail one
 * call in 50, so the window changes on most records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class CircuitBreakerBenchmark {
  private static final long DURATION_NANOS = 1_000_000L;
  private static final Exception FAILURE = new java.io.IOException("simulated");

  private CircuitBreaker orchestra;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;

  @Setup
  public void setUp() {
    orchestra =
        CircuitBreaker.of(
            "bench", io.orchestra.core.resilience.CircuitBreakerConfig.defaults(), Ticker.system());
    resilience4j =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", CircuitBreakerConfig.ofDefaults());
  }

  @Benchmark
  public boolean orchestra() {
    boolean permitted = orchestra.tryAcquirePermission();
    if (permitted) {
      orchestra.onSuccess(DURATION_NANOS);
    }
    return permitted;
  }

  @Benchmark
  public boolean resilience4j() {
    boolean permitted = resilience4j.tryAcquirePermission();
    if (permitted) {
      resilience4j.onSuccess(DURATION_NANOS, TimeUnit.NANOSECONDS);
    }
    return permitted;
  }

  /** One call in 50 fails (2%, far below the 50% threshold): the window keeps changing. */
  @State(Scope.Thread)
  public static class Calls {
    int n;

    boolean nextFails() {
      return ++n % 50 == 0;
    }
  }

  @Benchmark
  public boolean orchestraMixedOutcomes(Calls calls) {
    boolean permitted = orchestra.tryAcquirePermission();
    if (permitted) {
      if (calls.nextFails()) {
        orchestra.onError(DURATION_NANOS);
      } else {
        orchestra.onSuccess(DURATION_NANOS);
      }
    }
    return permitted;
  }

  @Benchmark
  public boolean resilience4jMixedOutcomes(Calls calls) {
    boolean permitted = resilience4j.tryAcquirePermission();
    if (permitted) {
      if (calls.nextFails()) {
        resilience4j.onError(DURATION_NANOS, TimeUnit.NANOSECONDS, FAILURE);
      } else {
        resilience4j.onSuccess(DURATION_NANOS, TimeUnit.NANOSECONDS);
      }
    }
    return permitted;
  }

  @Benchmark
  @Threads(2)
  public boolean orchestraMixedOutcomesContended(Calls calls) {
    return orchestraMixedOutcomes(calls);
  }

  @Benchmark
  @Threads(2)
  public boolean resilience4jMixedOutcomesContended(Calls calls) {
    return resilience4jMixedOutcomes(calls);
  }

  @Benchmark
  @Threads(2)
  public boolean orchestraContended() {
    return orchestra();
  }

  @Benchmark
  @Threads(2)
  public boolean resilience4jContended() {
    return resilience4j();
  }
}
