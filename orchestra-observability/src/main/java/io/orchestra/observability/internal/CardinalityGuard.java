package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Keeps label cardinality bounded: per metric name and tag key at most a budget of distinct
 * values is live; any further value is replaced by {@link #OTHER}, so its observations still count
 * in the metric's totals (in the {@code other} series) instead of creating a new series. A value's
 * slot is freed when the last series using it expires. Not thread-safe: the store's lock guards it.
 */
final class CardinalityGuard {
  static final String OTHER = "other";

  private final ToIntFunction<String> budgetFor;
  private final Set<String> exempt;
  // metric name -> tag key -> value -> number of live series using it
  private final Map<String, Map<String, Map<String, int[]>>> live = new HashMap<>();

  /** Budgets by tag key from {@code budgetFor}; {@code exemptKeys} are never folded. */
  CardinalityGuard(ToIntFunction<String> budgetFor, Set<String> exemptKeys) {
    this.budgetFor = budgetFor;
    this.exempt = exemptKeys;
  }

  /** {@code value}, or {@link #OTHER} when the budget of {@code key} on {@code metric} is spent. */
  String admit(String metric, String key, String value) {
    if (exempt.contains(key)) {
      return value;
    }
    Map<String, int[]> values = live.getOrDefault(metric, Map.of()).get(key);
    if (values == null || values.containsKey(value) || values.size() < budgetFor.applyAsInt(key)) {
      return value;
    }
    return OTHER;
  }

  /** Records that a series with {@code tags} now exists. */
  void register(String metric, Tags tags) {
    for (int i = 0; i < tags.size(); i++) {
      if (!exempt.contains(tags.key(i))) {
        live.computeIfAbsent(metric, k -> new HashMap<>())
            .computeIfAbsent(tags.key(i), k -> new HashMap<>())
            .computeIfAbsent(tags.value(i), k -> new int[1])[0]++;
      }
    }
  }

  /** Records that a series with {@code tags} expired. */
  void unregister(String metric, Tags tags) {
    Map<String, Map<String, int[]>> keys = live.get(metric);
    if (keys == null) {
      return;
    }
    for (int i = 0; i < tags.size(); i++) {
      Map<String, int[]> values = keys.get(tags.key(i));
      if (values != null) {
        int[] refs = values.get(tags.value(i));
        if (refs != null && --refs[0] <= 0) {
          values.remove(tags.value(i));
        }
      }
    }
  }

  /** Live distinct values of {@code key} on {@code metric}. */
  int distinct(String metric, String key) {
    Map<String, int[]> values = live.getOrDefault(metric, Map.of()).get(key);
    return values == null ? 0 : values.size();
  }
}
