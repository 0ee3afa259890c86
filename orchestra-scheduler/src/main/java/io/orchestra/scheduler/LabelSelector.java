package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selects workloads by their labels: every {@code matchLabels} pair must be present and every
 * requirement must hold. An empty selector selects every workload.
 *
 * <p>Immutable and thread-safe.
 *
 * @param matchLabels labels that must be present with these values
 * @param requirements further conditions, all of which must hold
 */
public record LabelSelector(Map<String, String> matchLabels, List<LabelRequirement> requirements) {

  /** Copies and validates both parts. */
  public LabelSelector {
    matchLabels = Labels.copy("selector.matchLabels", matchLabels);
    requirements =
        List.copyOf(Checks.noNulls("selector.requirements", requirements == null ? List.of() : requirements));
  }

  /** A selector for {@code key=value}. */
  public static LabelSelector matching(String key, String value) {
    return new LabelSelector(Map.of(key, value), List.of());
  }

  /** A selector requiring every pair of {@code labels}. */
  public static LabelSelector matching(Map<String, String> labels) {
    return new LabelSelector(labels, List.of());
  }

  /** A selector of requirements. */
  public static LabelSelector of(LabelRequirement... requirements) {
    return new LabelSelector(Map.of(), List.of(requirements));
  }

  /** Whether {@code labels} are selected. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelRequirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(matchLabels).forEach((k, v) -> parts.add(k + "=" + v));
    requirements.forEach(r -> parts.add(r.toString()));
    return parts.isEmpty() ? "*" : String.join(",", parts);
  }
}
