package io.orchestra.core.internal;

import java.time.Duration;
import java.util.Collection;

/**
 * Argument checks that name the offending field and value, used by every builder in Orchestra.
 *
 * <p>Not public API: the package {@code io.orchestra.core.internal} may change without notice.
 */
public final class Checks {
  private Checks() {}

  /** Fails unless {@code value} is non-null. */
  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    return value;
  }

  /** Fails unless {@code value} is non-null and has a non-whitespace character. */
  public static String notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be null or blank, was " + quote(value));
    }
    return value;
  }

  /** Fails unless {@code value > 0}. */
  public static long positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
    return value;
  }

  /** Fails unless {@code value > 0}. */
  public static int positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= 0}. */
  public static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= 0}. */
  public static int nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + value);
    }
    return value;
  }

  /** Fails unless {@code value} is a finite number {@code >= 0}. */
  public static double nonNegative(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, was " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value <= max}. */
  public static int inRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value <= max} and the value is a number. */
  public static double inRange(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /** Fails unless {@code 0 < value <= 100}: a percentage threshold. */
  public static float percentage(String field, float value) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(field + " must be in (0, 100], was " + value);
    }
    return value;
  }

  /** Fails unless the duration is non-null and strictly positive. */
  public static Duration positive(String field, Duration value) {
    notNull(field, value);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
    }
    return value;
  }

  /** Fails unless the duration is non-null and not negative. */
  public static Duration nonNegative(String field, Duration value) {
    notNull(field, value);
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative, was " + value);
    }
    return value;
  }

  /** Fails unless the collection is non-null and holds no null element. */
  public static <C extends Collection<?>> C noNulls(String field, C values) {
    notNull(field, values);
    int i = 0;
    for (Object v : values) {
      if (v == null) {
        throw new IllegalArgumentException(field + "[" + i + "] must not be null");
      }
      i++;
    }
    return values;
  }

  /** Fails with the given message when {@code condition} is false. */
  public static void argument(boolean condition, String messageFormat, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(messageFormat, args));
    }
  }

  /** Fails unless {@code port} is a valid TCP/UDP port (1..65535). */
  public static int port(String field, int port) {
    return inRange(field, port, 1, 65535);
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }
}
