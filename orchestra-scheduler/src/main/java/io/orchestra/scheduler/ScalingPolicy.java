package io.orchestra.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestra.core.internal.Checks;
import java.time.Duration;
import java.util.Locale;

/**
 * A rate limit on scaling, as in Kubernetes' HPA behavior: within any window of {@code period},
 * change the replica count by at most {@code value} pods, or by at most {@code value} percent of
 * the count at the start of the window.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type pods or percent
 * @param value the amount, at least 1
 * @param period the window, positive
 */
public record ScalingPolicy(Type type, int value, Duration period) {

  /** What {@link #value()} counts. */
  public enum Type {
    /** A number of replicas. */
    PODS,
    /** A percentage of the replicas at the start of the window. */
    PERCENT;

    /**
     * Parses {@code Pods}/{@code Percent}, case-insensitively.
     *
     * @throws IllegalArgumentException otherwise, naming {@code scalingPolicy.type}
     */
    @JsonCreator
    public static Type parse(String value) {
      if (value != null) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (Type t : values()) {
          if (t.name().equals(v)) {
            return t;
          }
        }
      }
      throw new IllegalArgumentException("scalingPolicy.type must be Pods or Percent, was " + value);
    }
  }

  /** Validates. */
  @JsonCreator
  public ScalingPolicy(
      @JsonProperty("type") Type type,
      @JsonProperty("value") int value,
      @JsonProperty("period") Duration period) {
    this.type = Checks.notNull("scalingPolicy.type", type);
    this.value = Checks.positive("scalingPolicy.value", value);
    this.period = Checks.positive("scalingPolicy.period", period);
  }

  /** At most {@code pods} replicas per {@code period}. */
  public static ScalingPolicy pods(int pods, Duration period) {
    return new ScalingPolicy(Type.PODS, pods, period);
  }

  /** At most {@code percent} percent per {@code period}. */
  public static ScalingPolicy percent(int percent, Duration period) {
    return new ScalingPolicy(Type.PERCENT, percent, period);
  }
}
