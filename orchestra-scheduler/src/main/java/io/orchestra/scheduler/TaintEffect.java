package io.orchestra.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a {@link Taint} does to workloads that do not tolerate it, with Kubernetes' names and
 * meaning.
 */
public enum TaintEffect {
  /** Untolerating workloads are not placed on the node. */
  NO_SCHEDULE("NoSchedule"),
  /** Untolerating workloads are placed there only when better nodes are missing (a score). */
  PREFER_NO_SCHEDULE("PreferNoSchedule"),
  /**
   * Untolerating workloads are not placed on the node; for the scheduler this is the same as
   * {@link #NO_SCHEDULE} (evicting running containers is the application's decision).
   */
  NO_EXECUTE("NoExecute");

  private final String wireName;

  TaintEffect(String wireName) {
    this.wireName = wireName;
  }

  /** The Kubernetes spelling ({@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}). */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Whether the effect keeps untolerating workloads off the node. */
  public boolean isHard() {
    return this != PREFER_NO_SCHEDULE;
  }

  /**
   * Parses the Kubernetes spelling or the constant name, case-insensitively.
   *
   * @throws IllegalArgumentException for anything else, naming the field {@code effect}
   */
  @JsonCreator
  public static TaintEffect parse(String value) {
    return parse("effect", value);
  }

  /** Like {@link #parse(String)}, naming {@code field} in the error. */
  public static TaintEffect parse(String field, String value) {
    if (value != null) {
      String v = value.trim().replace("_", "").toLowerCase(Locale.ROOT);
      for (TaintEffect e : values()) {
        if (e.wireName.toLowerCase(Locale.ROOT).equals(v)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(
        field + " must be one of NoSchedule, PreferNoSchedule, NoExecute, was "
            + (value == null ? "null" : '"' + value + '"'));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
