package io.orchestra.core.telemetry;

import io.orchestra.core.internal.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable set of metric tags (dimension key/value pairs), sorted by key. Tags must have low
 * cardinality: service names and outcomes, never request ids (those go to spans and logs).
 */
public final class Tags {
  private static final Tags EMPTY = new Tags(new String[0]);

  private final String[] pairs; // key0, value0, key1, value1 ... sorted by key

  private Tags(String[] pairs) {
    this.pairs = pairs;
  }

  /** No tags. */
  public static Tags empty() {
    return EMPTY;
  }

  /** Tags from alternating keys and values; a later duplicate key wins. */
  public static Tags of(String... keysAndValues) {
    Checks.notNull("keysAndValues", keysAndValues);
    Checks.argument(
        keysAndValues.length % 2 == 0,
        "tags need key/value pairs, got %s strings",
        keysAndValues.length);
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(
          Checks.notBlank("tag key", keysAndValues[i]),
          Checks.notNull("tag value of " + keysAndValues[i], keysAndValues[i + 1]));
    }
    return of(map);
  }

  /** Tags from a map. */
  public static Tags of(Map<String, String> map) {
    if (map.isEmpty()) {
      return EMPTY;
    }
    String[] keys = map.keySet().toArray(new String[0]);
    Arrays.sort(keys);
    String[] pairs = new String[keys.length * 2];
    for (int i = 0; i < keys.length; i++) {
      pairs[2 * i] = Checks.notBlank("tag key", keys[i]);
      pairs[2 * i + 1] = Checks.notNull("tag value of " + keys[i], map.get(keys[i]));
    }
    return new Tags(pairs);
  }

  /** These tags plus one more (replacing the key if present). */
  public Tags and(String key, String value) {
    Map<String, String> map = toMap();
    map.put(key, value);
    return of(map);
  }

  /** Number of tags. */
  public int size() {
    return pairs.length / 2;
  }

  /** Key at {@code index} (sorted order). */
  public String key(int index) {
    return pairs[2 * index];
  }

  /** Value at {@code index}. */
  public String value(int index) {
    return pairs[2 * index + 1];
  }

  /** The value of {@code key}, or {@code null}. */
  public String get(String key) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(key)) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  /** A mutable copy as an insertion-ordered map. */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tags t && Arrays.equals(pairs, t.pairs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pairs);
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
