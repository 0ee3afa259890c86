package io.orchestra.core.resilience;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.internal.Durations;
import io.orchestra.core.resilience.internal.PaddedLong;
import io.orchestra.core.time.Ticker;
import java.time.Duration;

/**
 * A token-bucket rate limiter: {@code permitsPerPeriod} permits per {@code period} on average,
 * with bursts of up to {@code burst} permits. Never grants more than {@code burst + rate x
 * elapsed} permits over any interval, whatever the contention.
 *
 * <p>Implemented as the generic cell rate algorithm: one atomic "theoretical arrival time" (alone
 * on its cache line) and a compare-and-set loop, so {@link #tryAcquire()} is lock-free,
 * non-blocking and allocation-free.
 * The interval between permits is rounded up to whole nanoseconds, which can only make the
 * bucket slightly stricter than configured, never looser.
 */
public final class TokenBucket {
  private final Config config;
  private final Ticker ticker;
  private final long interval;
  private final long tolerance;
  private final PaddedLong theoreticalArrival = new PaddedLong();

  private TokenBucket(Config config, Ticker ticker) {
    this.config = Checks.notNull("tokenBucket.config", config);
    this.ticker = Checks.notNull("ticker", ticker);
    this.interval = config.permitIntervalNanos();
    this.tolerance = interval * config.burst(); // cannot overflow: Config bounds it
    this.theoreticalArrival.set(ticker.read());
  }

  /** A bucket with {@code config}, timed by {@code ticker}; it starts full. */
  public static TokenBucket of(Config config, Ticker ticker) {
    return new TokenBucket(config, ticker);
  }

  /** The configuration. */
  public Config config() {
    return config;
  }

  /** Takes one permit if available. */
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  /** Takes {@code permits} permits at once if all are available. */
  public boolean tryAcquire(int permits) {
    return tryAcquire(permits, ticker.read());
  }

  /**
   * Like {@link #tryAcquire(int)} with a reading of this bucket's ticker that the caller already
   * took (a request path that reads the clock once for several purposes). A reading from a
   * different ticker gives meaningless results.
   */
  public boolean tryAcquire(int permits, long nowNanos) {
    if (permits <= 0 || permits > config.burst()) {
      throw new IllegalArgumentException(
          "permits must be in [1, burst=" + config.burst() + "], was " + permits);
    }
    long cost = interval * permits;
    // One clock read per call: after a lost race, retrying with the same (now slightly old)
    // reading can only make the decision stricter, never grant more.
    long now = nowNanos;
    while (true) {
      long tat = theoreticalArrival.get();
      long next = (tat - now > 0 ? tat : now) + cost;
      if (next - now > tolerance) {
        return false;
      }
      if (theoreticalArrival.compareAndSet(tat, next)) {
        return true;
      }
      Thread.onSpinWait(); // lost a race: back off briefly instead of hammering the cache line
    }
  }

  /** Permits that could be taken right now. */
  public int availablePermits() {
    long now = ticker.read();
    long tat = theoreticalArrival.get();
    long used = tat - now > 0 ? tat - now : 0;
    return (int) ((tolerance - used) / interval);
  }

  /** Nanoseconds until one permit is available (0 if one is available now). */
  public long nanosUntilPermit() {
    long now = ticker.read();
    long tat = theoreticalArrival.get();
    long wait = tat + interval - tolerance - now;
    return Math.max(0, wait);
  }

  @Override
  public String toString() {
    return "TokenBucket[" + config + "]";
  }

  /**
   * Token bucket settings.
   *
   * @param permitsPerPeriod average permits per period, {@code >= 1}
   * @param period the period, {@code > 0}
   * @param burst bucket capacity, {@code >= 1}; defaults to {@code permitsPerPeriod}
   */
  @JsonDeserialize(builder = Config.Builder.class)
  public record Config(int permitsPerPeriod, Duration period, int burst) {
    /**
     * Longest time a full bucket takes to refill, {@code period / permitsPerPeriod x burst}, in
     * nanoseconds (about 146 years): the bucket's arithmetic needs twice this to fit in a long.
     */
    static final long MAX_REFILL_NANOS = Long.MAX_VALUE / 2;

    /** Validates the fields. */
    public Config {
      Checks.positive("tokenBucket.permitsPerPeriod", permitsPerPeriod);
      Checks.positive("tokenBucket.period", period);
      Checks.positive("tokenBucket.burst", burst);
      Checks.argument(
          Durations.saturatedNanos(period) < Long.MAX_VALUE
              && permitIntervalNanos(period, permitsPerPeriod) <= MAX_REFILL_NANOS / burst,
          "tokenBucket.period / tokenBucket.permitsPerPeriod x tokenBucket.burst must be at most"
              + " about 146 years, was %s / %s x %s",
          period,
          permitsPerPeriod,
          burst);
    }

    /** Nanoseconds between two permits, rounded up (so the bucket is never looser). */
    long permitIntervalNanos() {
      return permitIntervalNanos(period, permitsPerPeriod);
    }

    private static long permitIntervalNanos(Duration period, int permitsPerPeriod) {
      long periodNanos = Durations.saturatedNanos(period);
      return Math.max(1, -Math.floorDiv(-periodNanos, permitsPerPeriod));
    }

    /** {@code permits} per {@code period} with a burst of the same size. */
    public static Config of(int permits, Duration period) {
      return new Config(permits, period, permits);
    }

    /** A builder. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Config}; {@code burst} defaults to {@code permitsPerPeriod}. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
      private int permitsPerPeriod;
      private Duration period = Duration.ofSeconds(1);
      private Integer burst;

      private Builder() {}

      /** Permits per period. */
      public Builder permitsPerPeriod(int permits) {
        this.permitsPerPeriod = permits;
        return this;
      }

      /** The period; default 1 s. */
      public Builder period(Duration period) {
        this.period = period;
        return this;
      }

      /** Bucket capacity. */
      public Builder burst(int burst) {
        this.burst = burst;
        return this;
      }

      /** The config; fails naming the first invalid field. */
      public Config build() {
        return new Config(permitsPerPeriod, period, burst == null ? permitsPerPeriod : burst);
      }
    }
  }
}
