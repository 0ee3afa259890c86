package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One condition on a label, with Kubernetes' operators: {@code In}, {@code NotIn}, {@code
 * Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}. Used in node affinity terms and in
 * label selectors.
 *
 * <p>{@code NotIn} and {@code DoesNotExist} hold for a missing label; {@code Gt} and {@code Lt}
 * compare the label's value and the single operand as integers and fail when either is not an
 * integer.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key non-blank label key
 * @param operator the comparison
 * @param values operands: at least one for In/NotIn, none for Exists/DoesNotExist, exactly one
 *     integer for Gt/Lt
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** The comparison of a {@link LabelRequirement}. */
  public enum Operator {
    /** The label exists and its value is one of the operands. */
    IN,
    /** The label is missing or its value is none of the operands. */
    NOT_IN,
    /** The label exists. */
    EXISTS,
    /** The label is missing. */
    DOES_NOT_EXIST,
    /** The label's integer value is greater than the operand. */
    GT,
    /** The label's integer value is less than the operand. */
    LT;

    /**
     * Parses Kubernetes spelling ({@code In}, {@code NotIn}, {@code DoesNotExist}, {@code Gt}...)
     * or the constant name, case-insensitively.
     *
     * @throws IllegalArgumentException otherwise, naming {@code requirement.operator}
     */
    public static Operator parse(String value) {
      if (value != null) {
        String v = value.trim().replace("_", "").toUpperCase(Locale.ROOT);
        for (Operator o : values()) {
          if (o.name().replace("_", "").equals(v)) {
            return o;
          }
        }
      }
      throw new IllegalArgumentException(
          "requirement.operator must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt, was "
              + (value == null ? "null" : '"' + value + '"'));
    }
  }

  /** Validates the operand count for the operator. */
  public LabelRequirement {
    Checks.notBlank("requirement.key", key);
    Checks.notNull("requirement.operator", operator);
    values = List.copyOf(Checks.noNulls("requirement.values", values == null ? List.of() : values));
    switch (operator) {
      case IN:
      case NOT_IN:
        Checks.argument(
            !values.isEmpty(), "requirement.values must not be empty for %s %s", key, operator);
        break;
      case EXISTS:
      case DOES_NOT_EXIST:
        Checks.argument(
            values.isEmpty(), "requirement.values must be empty for %s %s, was %s", key, operator, values);
        break;
      default:
        Checks.argument(
            values.size() == 1 && parseLong(values.get(0)) != null,
            "requirement.values must be exactly one integer for %s %s, was %s",
            key,
            operator,
            values);
    }
  }

  /** {@code key In (values)}. */
  public static LabelRequirement in(String key, String... values) {
    return new LabelRequirement(key, Operator.IN, List.of(values));
  }

  /** {@code key NotIn (values)}. */
  public static LabelRequirement notIn(String key, String... values) {
    return new LabelRequirement(key, Operator.NOT_IN, List.of(values));
  }

  /** {@code key Exists}. */
  public static LabelRequirement exists(String key) {
    return new LabelRequirement(key, Operator.EXISTS, List.of());
  }

  /** {@code key DoesNotExist}. */
  public static LabelRequirement doesNotExist(String key) {
    return new LabelRequirement(key, Operator.DOES_NOT_EXIST, List.of());
  }

  /** {@code key Gt value}. */
  public static LabelRequirement gt(String key, long value) {
    return new LabelRequirement(key, Operator.GT, List.of(Long.toString(value)));
  }

  /** {@code key Lt value}. */
  public static LabelRequirement lt(String key, long value) {
    return new LabelRequirement(key, Operator.LT, List.of(Long.toString(value)));
  }

  /** Whether a label set holds the requirement; {@code value} is the label's value or null. */
  public boolean matchesValue(String value) {
    switch (operator) {
      case IN:
        return value != null && values.contains(value);
      case NOT_IN:
        return value == null || !values.contains(value);
      case EXISTS:
        return value != null;
      case DOES_NOT_EXIST:
        return value == null;
      case GT:
      case LT:
        Long actual = value == null ? null : parseLong(value);
        if (actual == null) {
          return false;
        }
        long operand = Long.parseLong(values.get(0).trim());
        return operator == Operator.GT ? actual > operand : actual < operand;
      default:
        throw new AssertionError(operator);
    }
  }

  /** Whether {@code labels} hold the requirement. */
  public boolean matches(Map<String, String> labels) {
    return matchesValue(labels.get(key));
  }

  /** The integer value of {@code s}, or null when it is not an integer. */
  public static Long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    switch (operator) {
      case EXISTS:
        return key;
      case DOES_NOT_EXIST:
        return "!" + key;
      case GT:
        return key + ">" + values.get(0);
      case LT:
        return key + "<" + values.get(0);
      case IN:
        return values.size() == 1 ? key + "=" + values.get(0) : key + " in " + values;
      default:
        return values.size() == 1 ? key + "!=" + values.get(0) : key + " notin " + values;
    }
  }
}
