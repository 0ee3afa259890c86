package io.orchestra.benchmarks.core;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Non-blocking permit acquisition: Orchestra's {@link TokenBucket#tryAcquire()} against
 * Resilience4j's {@link AtomicRateLimiter#acquirePermission()} with a zero timeout, in the same
 * run. {@code granting} uses a rate no benchmark can exhaust (every call is granted);
 * {@code refusing} uses one permit per hour (after the first, every call is refused).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class TokenBucketBenchmark {
  @Param({"granting", "refusing"})
  public String mode;

  private TokenBucket orchestra;
  private AtomicRateLimiter resilience4j;

  @Setup
  public void setUp() {
    boolean granting = mode.equals("granting");
    int permits = granting ? Integer.MAX_VALUE : 1;
    Duration period = granting ? Duration.ofSeconds(1) : Duration.ofHours(1);
    orchestra = TokenBucket.of(TokenBucket.Config.of(permits, period), Ticker.system());
    resilience4j =
        new AtomicRateLimiter(
            "bench",
            RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
  }

  @Benchmark
  public boolean orchestra() {
    return orchestra.tryAcquire();
  }

  @Benchmark
  public boolean resilience4j() {
    return resilience4j.acquirePermission();
  }

  @Benchmark
  @Threads(2)
  public boolean orchestraContended() {
    return orchestra.tryAcquire();
  }

  @Benchmark
  @Threads(2)
  public boolean resilience4jContended() {
    return resilience4j.acquirePermission();
  }
}
