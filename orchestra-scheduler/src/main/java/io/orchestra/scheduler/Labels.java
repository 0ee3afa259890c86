package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.Map;

/** Label map validation shared by the model types. Not instantiable. */
final class Labels {
  private Labels() {}

  /** An immutable copy of {@code labels} (null: empty) with non-blank keys and non-null values. */
  static Map<String, String> copy(String field, Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return Map.of();
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      Checks.notBlank(field + " key", e.getKey());
      Checks.notNull(field + "[" + e.getKey() + "]", e.getValue());
    }
    return Map.copyOf(labels);
  }
}
