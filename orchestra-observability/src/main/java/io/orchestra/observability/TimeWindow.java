package io.orchestra.observability;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orchestra.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A half-open wall-clock interval {@code [start, end)} in epoch milliseconds. Immutable.
 *
 * @param startEpochMillis inclusive start
 * @param endEpochMillis exclusive end, not before the start
 */
public record TimeWindow(long startEpochMillis, long endEpochMillis) {

  /** Validates the order. */
  public TimeWindow {
    Checks.argument(
        endEpochMillis >= startEpochMillis,
        "timeWindow end (%s) must not be before its start (%s)",
        endEpochMillis,
        startEpochMillis);
  }

  /** The window between two instants. */
  public static TimeWindow between(Instant start, Instant end) {
    return new TimeWindow(start.toEpochMilli(), end.toEpochMilli());
  }

  /** The window of length {@code duration} that ends now (inclusive of the current millisecond). */
  public static TimeWindow last(Duration duration, Clock clock) {
    long end = clock.millis() + 1;
    return new TimeWindow(end - Checks.positive("duration", duration).toMillis(), end);
  }

  /** Whether {@code epochMillis} lies inside. */
  public boolean contains(long epochMillis) {
    return epochMillis >= startEpochMillis && epochMillis < endEpochMillis;
  }

  /** Whether {@code [start, end)} overlaps this window. */
  public boolean overlaps(long start, long end) {
    return start < endEpochMillis && end > startEpochMillis;
  }

  /** The length. */
  @JsonIgnore
  public Duration duration() {
    return Duration.ofMillis(endEpochMillis - startEpochMillis);
  }
}
