package io.orchestra.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Which of several {@link ScalingPolicy}s applies, as in Kubernetes' {@code selectPolicy}. */
public enum SelectPolicy {
  /** The policy that allows the largest change (the default). */
  MAX,
  /** The policy that allows the smallest change. */
  MIN,
  /** No scaling in this direction at all. */
  DISABLED;

  /**
   * Parses {@code Max}/{@code Min}/{@code Disabled}, case-insensitively.
   *
   * @throws IllegalArgumentException otherwise, naming the field
   */
  @JsonCreator
  public static SelectPolicy parse(String value) {
    if (value != null) {
      String v = value.trim().toUpperCase(Locale.ROOT);
      for (SelectPolicy p : values()) {
        if (p.name().equals(v)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("selectPolicy must be Max, Min or Disabled, was " + value);
  }
}
