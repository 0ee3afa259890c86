package io.orchestra.observability.metrics;

import java.util.Locale;

/** Why a metric value was not stored. */
public enum RejectReason {
  /** The value was not a number. */
  NAN,
  /** The value was infinite. */
  INFINITE,
  /** A counter value or increment was negative. */
  NEGATIVE_COUNTER,
  /** A distribution observation was negative. */
  NEGATIVE_DISTRIBUTION,
  /** The value was null or not numeric. */
  NOT_A_NUMBER,
  /** The name normalizes to nothing usable (empty, no leading letter, too long). */
  INVALID_NAME,
  /** The name has no well-known prefix and custom metrics are disabled. */
  CUSTOM_METRICS_DISABLED,
  /** The same name was already registered with another type. */
  TYPE_CONFLICT,
  /**
   * The series cap ({@code metrics.maxSeries}) is reached and the metric has no series yet whose
   * {@code other} series could take the value.
   */
  SERIES_LIMIT;

  /** The reason in snake case, as used in counters. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
