package io.orchestra.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final VirtualTime time = new VirtualTime();

  @Test
  void startsFull_thenRefillsAtTheConfiguredRate() {
    TokenBucket bucket = TokenBucket.of(TokenBucket.Config.builder().permitsPerPeriod(10).period(Duration.ofSeconds(1)).burst(5).build(), time);

    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire()).isTrue();
    }
    assertThat(bucket.tryAcquire()).isFalse();
    assertThat(bucket.nanosUntilPermit()).isEqualTo(100_000_000L);

    time.advance(Duration.ofMillis(99));
    assertThat(bucket.tryAcquire()).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(bucket.tryAcquire()).isTrue();

    time.advance(Duration.ofSeconds(10));
    assertThat(bucket.availablePermits()).isEqualTo(5); // never more than the burst
  }

  @Test
  void multiplePermitsAtOnce_areAllOrNothing() {
    TokenBucket bucket = TokenBucket.of(TokenBucket.Config.of(4, Duration.ofSeconds(1)), time);
    assertThat(bucket.tryAcquire(3)).isTrue();
    assertThat(bucket.tryAcquire(2)).isFalse();
    assertThat(bucket.tryAcquire(1)).isTrue();
    assertThatThrownBy(() -> bucket.tryAcquire(5)).hasMessageContaining("permits").hasMessageContaining("5");
  }

  @Test
  void invalidConfig_namesTheField() {
    assertThatThrownBy(() -> TokenBucket.Config.of(0, Duration.ofSeconds(1)))
        .hasMessageContaining("tokenBucket.permitsPerPeriod").hasMessageContaining("0");
    assertThatThrownBy(() -> TokenBucket.Config.of(1, Duration.ZERO)).hasMessageContaining("tokenBucket.period");
    assertThatThrownBy(() -> TokenBucket.Config.builder().permitsPerPeriod(5).burst(-1).build())
        .hasMessageContaining("tokenBucket.burst").hasMessageContaining("-1");
  }

  @Test
  void configsWhoseRefillOverflowsTheArithmetic_areRefusedWhenBuilt() {
    // One permit per 100 years with a burst of 2: the bucket's nanosecond arithmetic would wrap
    // around and grant a third permit at once.
    assertThatThrownBy(
            () -> TokenBucket.Config.builder().permitsPerPeriod(1).period(Duration.ofDays(36_500)).burst(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokenBucket.period")
        .hasMessageContaining("tokenBucket.burst")
        .hasMessageContaining("PT876000H");
    assertThatThrownBy(() -> TokenBucket.Config.of(1_000, Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessageContaining("tokenBucket.period");
    // The largest refill that fits still works.
    TokenBucket slow = TokenBucket.of(TokenBucket.Config.of(1, Duration.ofDays(36_500)), time);
    assertThat(slow.tryAcquire()).isTrue();
    assertThat(slow.tryAcquire()).isFalse();
  }

  @RepeatedTest(5)
  void underEightThreads_grantsNeverExceedRateTimesPeriodPlusBurst() throws Exception {
    int rate = 1000; // per second
    int burst = 50;
    TokenBucket bucket = TokenBucket.of(TokenBucket.Config.builder().permitsPerPeriod(rate).period(Duration.ofSeconds(1)).burst(burst).build(), time);
    int threads = 8;
    AtomicLong granted = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                while (running.get()) {
                  attempts.incrementAndGet();
                  if (bucket.tryAcquire()) {
                    granted.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    start.countDown();
    Duration period = Duration.ofSeconds(5);
    // Walk virtual time through the period in small steps while the threads hammer the bucket.
    // After each step, wait until the threads have tried many times, so each step is contended.
    for (int step = 0; step < 5000; step++) {
      time.advance(Duration.ofMillis(1));
      long target = attempts.get() + 64;
      while (attempts.get() < target) {
        Thread.onSpinWait();
      }
    }
    running.set(false);
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdownNow();

    long limit = rate * period.toSeconds() + burst;
    assertThat(granted.get()).isLessThanOrEqualTo(limit).isGreaterThan(burst);
  }
}
