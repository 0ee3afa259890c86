package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.Locale;

/**
 * Spreads the selected workloads evenly over the domains of a topology key, as Kubernetes'
 * topology spread constraints: placing on a node is allowed when {@code count(domain) + self -
 * min(count over eligible domains) <= maxSkew}, where {@code self} is 1 when the incoming
 * workload is itself selected, and eligible domains are those of healthy, uncordoned nodes that
 * pass the request's node selector, required node affinity and taints (Kubernetes'
 * {@code nodeTaintsPolicy: Honor}). Nodes without the topology key are not eligible.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxSkew the largest allowed difference, at least 1
 * @param topologyKey {@link Topology#NODE}, {@link Topology#ZONE} or a node label key
 * @param whenUnsatisfiable a filter ({@link WhenUnsatisfiable#DO_NOT_SCHEDULE}) or only a score
 *     ({@link WhenUnsatisfiable#SCHEDULE_ANYWAY})
 * @param selector which placed workloads count, or null for the replicas of the requesting
 *     workload (same workload name)
 */
public record TopologySpreadConstraint(
    int maxSkew, String topologyKey, WhenUnsatisfiable whenUnsatisfiable, LabelSelector selector) {

  /** Whether an unsatisfiable spread blocks the placement or only lowers the node's score. */
  public enum WhenUnsatisfiable {
    /** A filter: nodes that would exceed the skew are rejected. */
    DO_NOT_SCHEDULE,
    /** A score: nodes that would exceed the skew are merely less preferred. */
    SCHEDULE_ANYWAY;

    /**
     * Parses {@code DoNotSchedule}/{@code ScheduleAnyway} or the constant name.
     *
     * @throws IllegalArgumentException otherwise, naming {@code spread.whenUnsatisfiable}
     */
    public static WhenUnsatisfiable parse(String value) {
      if (value != null) {
        String v = value.trim().replace("_", "").toUpperCase(Locale.ROOT);
        for (WhenUnsatisfiable w : values()) {
          if (w.name().replace("_", "").equals(v)) {
            return w;
          }
        }
      }
      throw new IllegalArgumentException(
          "spread.whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway, was " + value);
    }
  }

  /** Validates. */
  public TopologySpreadConstraint {
    Checks.inRange("spread.maxSkew", maxSkew, 1, Integer.MAX_VALUE);
    Checks.notBlank("spread.topologyKey", topologyKey);
    Checks.notNull("spread.whenUnsatisfiable", whenUnsatisfiable);
  }

  /** A hard spread of the requesting workload's own replicas. */
  public static TopologySpreadConstraint hard(int maxSkew, String topologyKey) {
    return new TopologySpreadConstraint(maxSkew, topologyKey, WhenUnsatisfiable.DO_NOT_SCHEDULE, null);
  }

  /** A soft spread of the requesting workload's own replicas. */
  public static TopologySpreadConstraint soft(int maxSkew, String topologyKey) {
    return new TopologySpreadConstraint(maxSkew, topologyKey, WhenUnsatisfiable.SCHEDULE_ANYWAY, null);
  }

  @Override
  public String toString() {
    return (selector == null ? "own replicas" : selector.toString())
        + " over " + topologyKey + " maxSkew " + maxSkew
        + (whenUnsatisfiable == WhenUnsatisfiable.DO_NOT_SCHEDULE ? "" : " (soft)");
  }
}
