package io.orchestra.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the scheduler chooses among the nodes that pass every filter (the seed's three choices). */
public enum Algorithm {
  /**
   * Weighted scores (the default): utilisation near the target, load spreading, balance,
   * preferences, spreading of replicas and node health.
   */
  MULTI_CONSTRAINT,
  /** Weighted scores led by most-allocated: fills nodes before using new ones. */
  BIN_PACKING,
  /** No scores: the next feasible node after the previous choice, in node order. */
  ROUND_ROBIN;

  /** The configuration spelling ({@code multi_constraint} ...). */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the configuration spelling, case-insensitively (dashes allowed).
   *
   * @throws IllegalArgumentException otherwise, naming {@code scheduling.algorithm}
   */
  @JsonCreator
  public static Algorithm parse(String value) {
    if (value != null) {
      String v = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
      for (Algorithm a : values()) {
        if (a.name().equals(v)) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException(
        "scheduling.algorithm must be one of multi_constraint, bin_packing, round_robin, was " + value);
  }
}
