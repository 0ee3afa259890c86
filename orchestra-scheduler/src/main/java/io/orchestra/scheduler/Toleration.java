package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.Locale;

/**
 * Lets a workload onto nodes with matching {@link Taint}s, with Kubernetes' matching rules: the
 * keys must be equal (an empty key with {@link Operator#EXISTS} matches every key); with {@link
 * Operator#EQUAL} the values must be equal, with {@link Operator#EXISTS} any value matches; a
 * null effect matches every effect.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the taint key; empty only with {@link Operator#EXISTS}
 * @param operator how the value is compared
 * @param value the value for {@link Operator#EQUAL}; empty for {@link Operator#EXISTS}
 * @param effect the effect tolerated, or null for every effect
 */
public record Toleration(String key, Operator operator, String value, TaintEffect effect) {

  /** How a toleration compares the taint's value. */
  public enum Operator {
    /** Key and value must be equal. */
    EQUAL,
    /** The key must be equal (or the toleration key empty); any value. */
    EXISTS;

    /**
     * Parses {@code Equal} or {@code Exists}, case-insensitively.
     *
     * @throws IllegalArgumentException otherwise, naming {@code toleration.operator}
     */
    public static Operator parse(String value) {
      if (value != null) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (Operator o : values()) {
          if (o.name().equals(v)) {
            return o;
          }
        }
      }
      throw new IllegalArgumentException(
          "toleration.operator must be Equal or Exists, was " + (value == null ? "null" : '"' + value + '"'));
    }
  }

  /** Validates the combination of fields. */
  public Toleration {
    key = key == null ? "" : key;
    value = value == null ? "" : value;
    Checks.notNull("toleration.operator", operator);
    if (operator == Operator.EQUAL) {
      Checks.argument(!key.isBlank(), "toleration.key must not be blank with operator Equal");
    } else {
      Checks.argument(
          value.isEmpty(), "toleration.value must be empty with operator Exists, was \"%s\"", value);
    }
  }

  /** Tolerates {@code key=value} with {@code effect} (null: any effect). */
  public static Toleration equal(String key, String value, TaintEffect effect) {
    return new Toleration(key, Operator.EQUAL, value, effect);
  }

  /** Tolerates every value of {@code key} with {@code effect} (null: any effect). */
  public static Toleration exists(String key, TaintEffect effect) {
    return new Toleration(key, Operator.EXISTS, "", effect);
  }

  /** Tolerates every taint. */
  public static Toleration everything() {
    return new Toleration("", Operator.EXISTS, "", null);
  }

  /**
   * A toleration from strings as they appear in manifests.
   *
   * @param effect {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}, or null/empty
   *     for every effect
   * @throws IllegalArgumentException for an unknown operator or effect, naming the field
   */
  public static Toleration of(String key, String operator, String value, String effect) {
    TaintEffect e =
        effect == null || effect.isBlank() ? null : TaintEffect.parse("toleration.effect", effect);
    return new Toleration(key, Operator.parse(operator), value, e);
  }

  /** Whether this toleration matches {@code taint}. */
  public boolean tolerates(Taint taint) {
    if (effect != null && effect != taint.effect()) {
      return false;
    }
    if (key.isEmpty()) {
      return true; // only possible with EXISTS
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return operator == Operator.EXISTS || value.equals(taint.value());
  }

  @Override
  public String toString() {
    String k = key.isEmpty() ? "*" : key;
    String v = operator == Operator.EXISTS ? k : k + "=" + value;
    return v + ":" + (effect == null ? "*" : effect.wireName());
  }
}
