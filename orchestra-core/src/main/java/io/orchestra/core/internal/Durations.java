package io.orchestra.core.internal;

import java.time.Duration;

/**
 * Duration arithmetic for code that works in nanoseconds. Not public API.
 *
 * <p>{@link Duration#toNanos()} throws for durations beyond about 292 years, which users do write
 * to mean "forever" ({@code ChronoUnit.FOREVER.getDuration()}, {@code
 * Duration.ofSeconds(Long.MAX_VALUE)}); converting such a value once, when a component is built,
 * with {@link #saturatedNanos} keeps the call path free of that exception.
 */
public final class Durations {
  private Durations() {}

  /** {@code duration} in nanoseconds, clamped to {@code [Long.MIN_VALUE, Long.MAX_VALUE]}. */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
