package io.orchestra.mesh.policy;

import io.orchestra.core.internal.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Validation helpers shared by the policy classes. */
final class Patterns {
  private Patterns() {}

  /**
   * Validates identity patterns: an exact identity, {@code *} (any), or a prefix ending in a single
   * trailing {@code *} ({@code spiffe://example.org/ns/shop/*}).
   */
  static List<String> identityPatterns(String field, List<String> patterns) {
    List<String> copy = strings(field, patterns);
    for (int i = 0; i < copy.size(); i++) {
      String p = copy.get(i);
      int star = p.indexOf('*');
      Checks.argument(
          star < 0 || star == p.length() - 1,
          "%s[%s] may only end in '*' (prefix match), was \"%s\"",
          field,
          i,
          p);
    }
    return copy;
  }

  /** A copy of non-blank strings; null means empty. */
  static List<String> strings(String field, List<String> values) {
    if (values == null) {
      return List.of();
    }
    List<String> copy = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      copy.add(Checks.notBlank(field + "[" + i + "]", values.get(i)));
    }
    return List.copyOf(copy);
  }

  /** Upper-cased HTTP method tokens. */
  static List<String> methods(String field, List<String> values) {
    List<String> copy = strings(field, values);
    List<String> upper = new ArrayList<>(copy.size());
    for (int i = 0; i < copy.size(); i++) {
      String m = copy.get(i).trim().toUpperCase(Locale.ROOT);
      for (int c = 0; c < m.length(); c++) {
        char ch = m.charAt(c);
        Checks.argument(
            ch > ' ' && ch < 127, "%s[%s] is not an HTTP method token: \"%s\"", field, i, copy.get(i));
      }
      upper.add(m);
    }
    return List.copyOf(upper);
  }

  /** Header matches keyed by lower-case header name, insertion order kept. */
  static Map<String, StringMatch> headers(String field, Map<String, StringMatch> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Map<String, StringMatch> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, match) -> {
          String n = Checks.notBlank(field + " name", name).trim().toLowerCase(Locale.ROOT);
          copy.put(n, Checks.notNull(field + "[" + n + "]", match));
        });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
