package io.orchestra.saga.internal;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Recognizes saga data types whose instances cannot change: records whose components are all
 * primitives, boxed primitives, strings, enums, a few immutable JDK value types, or such records
 * again. For those, a step that hands back the very instance it was given (or null) leaves the
 * data as it was, so its JSON is the JSON already in the journal and need not be written again.
 * Any other type (a class, a record holding a list, a map or an array) is written after every
 * step, since a step may have changed it in place. Not public API.
 */
final class ImmutableData {
  private static final Set<Class<?>> VALUES =
      Set.of(
          String.class, Boolean.class, Character.class, Byte.class, Short.class, Integer.class,
          Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class, UUID.class,
          URI.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
          OffsetDateTime.class, ZonedDateTime.class, Duration.class, Period.class);

  private ImmutableData() {}

  /** Whether every instance of {@code type} is deeply immutable. */
  static boolean isImmutable(Class<?> type) {
    return isImmutable(type, new HashSet<>());
  }

  private static boolean isImmutable(Class<?> type, Set<Class<?>> visiting) {
    if (type.isPrimitive() || type.isEnum() || VALUES.contains(type)) {
      return true;
    }
    if (!type.isRecord()) {
      return false;
    }
    if (!visiting.add(type)) {
      return true; // a record that contains itself: its other components decide
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (!isImmutable(c.getType(), visiting)) {
        return false;
      }
    }
    return true;
  }
}
