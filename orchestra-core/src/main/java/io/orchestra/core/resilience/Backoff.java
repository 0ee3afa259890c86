package io.orchestra.core.resilience;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.internal.Durations;
import io.orchestra.core.time.RandomSource;
import java.time.Duration;

/**
 * How long to wait before each retry. Immutable; JSON/YAML-loadable.
 *
 * <p>For retry number {@code n} (1 for the first retry) let {@code e(n) = min(maxDelay,
 * initialDelay * multiplier^(n-1))}. Then:
 *
 * <ul>
 *   <li>{@link Type#FIXED}: {@code initialDelay} (capped by {@code maxDelay});
 *   <li>{@link Type#EXPONENTIAL}: {@code e(n)};
 *   <li>{@link Type#EXPONENTIAL_FULL_JITTER}: uniform in {@code [0, e(n)]};
 *   <li>{@link Type#EXPONENTIAL_EQUAL_JITTER}: {@code e(n)/2} plus uniform in {@code [0, e(n)/2]};
 *   <li>{@link Type#DECORRELATED_JITTER}: uniform in {@code [initialDelay, 3 * previous]}, capped
 *       by {@code maxDelay} (the "decorrelated jitter" of the AWS architecture blog, which uses 3
 *       regardless of {@code multiplier}).
 * </ul>
 *
 * Every delay lies in {@code [0, maxDelay]}.
 *
 * @param type the formula
 * @param initialDelay base delay; default 100 ms
 * @param multiplier growth factor {@code >= 1}; default 2
 * @param maxDelay cap; default 10 s
 */
@JsonDeserialize(builder = Backoff.Builder.class)
public record Backoff(Type type, Duration initialDelay, double multiplier, Duration maxDelay) {

  /** Validates the fields. */
  public Backoff {
    Checks.notNull("backoff.type", type);
    Checks.nonNegative("backoff.initialDelay", initialDelay);
    Checks.argument(
        multiplier >= 1 && !Double.isInfinite(multiplier),
        "backoff.multiplier must be a finite number >= 1, was %s",
        multiplier);
    Checks.nonNegative("backoff.maxDelay", maxDelay);
    Checks.argument(
        maxDelay.compareTo(initialDelay) >= 0,
        "backoff.maxDelay (%s) must be >= backoff.initialDelay (%s)",
        maxDelay,
        initialDelay);
  }

  /** A constant delay. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(Type.FIXED, delay, 1, delay);
  }

  /** Exponential growth without jitter. */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    return new Backoff(Type.EXPONENTIAL, initial, multiplier, max);
  }

  /** Exponential with full jitter. */
  public static Backoff fullJitter(Duration initial, double multiplier, Duration max) {
    return new Backoff(Type.EXPONENTIAL_FULL_JITTER, initial, multiplier, max);
  }

  /** Decorrelated jitter. */
  public static Backoff decorrelatedJitter(Duration initial, Duration max) {
    return new Backoff(Type.DECORRELATED_JITTER, initial, 3, max);
  }

  /** A builder with the defaults: exponential full jitter, 100 ms, x2, 10 s cap. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The delay before retry {@code retry} (1-based) in nanoseconds.
   *
   * @param previousDelayNanos the delay used before the previous retry (only decorrelated jitter
   *     uses it; pass 0 for the first retry)
   */
  public long delayNanos(int retry, long previousDelayNanos, RandomSource random) {
    Checks.positive("retry", retry);
    long initial = Durations.saturatedNanos(initialDelay); // a "forever" cap must not throw
    long cap = Durations.saturatedNanos(maxDelay);
    switch (type) {
      case FIXED:
        return Math.min(initial, cap);
      case EXPONENTIAL:
        return exponential(retry, initial, cap);
      case EXPONENTIAL_FULL_JITTER:
        return uniform(0, exponential(retry, initial, cap), random);
      case EXPONENTIAL_EQUAL_JITTER:
        {
          long e = exponential(retry, initial, cap);
          long half = e / 2;
          return half + uniform(0, e - half, random);
        }
      case DECORRELATED_JITTER:
        {
          long previous = Math.max(initial, previousDelayNanos);
          long upper = previous > cap / 3 ? cap : previous * 3;
          return Math.min(cap, uniform(initial, Math.max(initial, upper), random));
        }
      default:
        throw new AssertionError(type);
    }
  }

  private long exponential(int retry, long initial, long cap) {
    double d = initial * Math.pow(multiplier, retry - 1);
    return d >= cap ? cap : (long) d;
  }

  private static long uniform(long low, long high, RandomSource random) {
    if (high <= low) {
      return low;
    }
    long span = high - low; // both are >= 0, so this does not overflow
    return span == Long.MAX_VALUE
        ? low + (random.nextLong() >>> 1) // [0, Long.MAX_VALUE]: span + 1 would overflow
        : low + random.nextLong(span + 1);
  }

  /** The backoff formulas. */
  public enum Type {
    /** Constant delay. */
    FIXED,
    /** Exponential growth. */
    EXPONENTIAL,
    /** Exponential ceiling, uniform in [0, ceiling]. */
    EXPONENTIAL_FULL_JITTER,
    /** Half the exponential ceiling plus uniform jitter over the other half. */
    EXPONENTIAL_EQUAL_JITTER,
    /** Uniform in [initial, 3 * previous], capped. */
    DECORRELATED_JITTER
  }

  /** Builds a {@link Backoff}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Type type = Type.EXPONENTIAL_FULL_JITTER;
    private Duration initialDelay = Duration.ofMillis(100);
    private double multiplier = 2;
    private Duration maxDelay = Duration.ofSeconds(10);

    private Builder() {}

    /** The formula. */
    public Builder type(Type type) {
      this.type = type;
      return this;
    }

    /** The base delay. */
    public Builder initialDelay(Duration delay) {
      this.initialDelay = delay;
      return this;
    }

    /** The growth factor. */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The cap. */
    public Builder maxDelay(Duration delay) {
      this.maxDelay = delay;
      return this;
    }

    /** The backoff; fails naming the first invalid field. */
    public Backoff build() {
      return new Backoff(type, initialDelay, multiplier, maxDelay);
    }
  }
}
