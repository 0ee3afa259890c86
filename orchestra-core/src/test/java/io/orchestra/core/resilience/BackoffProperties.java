package io.orchestra.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {

  @Property(tries = 300)
  void everyDelayLiesBetweenZeroAndTheCap(
      @ForAll Backoff.Type type,
      @ForAll @LongRange(min = 0, max = 5_000) long initialMillis,
      @ForAll @DoubleRange(min = 1.0, max = 10.0) double multiplier,
      @ForAll @LongRange(min = 0, max = 120_000) long extraCapMillis,
      @ForAll @IntRange(min = 1, max = 200) int retries,
      @ForAll long seed) {
    Backoff backoff =
        new Backoff(type, Duration.ofMillis(initialMillis), multiplier, Duration.ofMillis(initialMillis + extraCapMillis));
    RandomSource random = RandomSource.seeded(seed);
    long cap = backoff.maxDelay().toNanos();
    long previous = 0;
    for (int n = 1; n <= retries; n++) {
      long d = backoff.delayNanos(n, previous, random);
      assertThat(d).isBetween(0L, cap);
      previous = d;
    }
  }

  @Property(tries = 60)
  void meanDelayDoesNotDecreaseFromOneRetryToTheNext(
      @ForAll Backoff.Type type,
      @ForAll @LongRange(min = 1, max = 1_000) long initialMillis,
      @ForAll @DoubleRange(min = 1.0, max = 4.0) double multiplier,
      @ForAll @LongRange(min = 0, max = 60_000) long extraCapMillis,
      @ForAll long seed) {
    Backoff backoff =
        new Backoff(type, Duration.ofMillis(initialMillis), multiplier, Duration.ofMillis(initialMillis + extraCapMillis));
    RandomSource random = RandomSource.seeded(seed);
    int retries = 12;
    int samples = 2_000;
    double[] sums = new double[retries + 1];
    for (int s = 0; s < samples; s++) {
      long previous = 0;
      for (int n = 1; n <= retries; n++) {
        long d = backoff.delayNanos(n, previous, random);
        sums[n] += d;
        previous = d;
      }
    }
    // Sampling noise: allow 5% of the cap between consecutive means.
    double slack = 0.05 * backoff.maxDelay().toNanos();
    for (int n = 1; n < retries; n++) {
      assertThat(sums[n + 1] / samples).isGreaterThanOrEqualTo(sums[n] / samples - slack);
    }
  }
}
