package io.orchestra.observability.internal;

/**
 * Unambiguous text keys built from parts that come from outside (rule ids, service names, label
 * values): each part is percent-encoded for {@code %} and the key's own separators, so a separator
 * inside a part can never make two different keys print alike ({@code "a/b" + "c"} and {@code "a"
 * + "b/c"} are {@code a%2Fb/c} and {@code a/b%2Fc}). A part without those characters is kept as it
 * is, so usual keys stay readable. Stateless; thread-safe.
 */
public final class KeyText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyText() {}

  /**
   * {@code part} with {@code %} and every character of {@code separators} (ASCII) replaced by
   * {@code %} and its two hex digits; {@code part} itself when it has none of them.
   */
  public static String escape(String part, String separators) {
    int first = 0;
    while (first < part.length() && !special(part.charAt(first), separators)) {
      first++;
    }
    if (first == part.length()) {
      return part;
    }
    StringBuilder b = new StringBuilder(part.length() + 8).append(part, 0, first);
    for (int i = first; i < part.length(); i++) {
      char c = part.charAt(i);
      if (special(c, separators)) {
        b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean special(char c, String separators) {
    return c == '%' || separators.indexOf(c) >= 0;
  }
}
