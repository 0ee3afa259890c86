package io.orchestra.core.internal;

/**
 * JSON string literals appended to a {@link StringBuilder}, for the few formats engines write by
 * hand on hot paths (saga snapshots, the mesh's local error bodies) where Jackson's data binding
 * would cost more than the text. Escapes {@code "}, {@code \}, the common control characters by
 * name and every other control character as a backslash, {@code u00} and two hex digits;
 * everything else is copied in runs.
 * Not public API.
 */
public final class JsonStrings {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonStrings() {}

  /** Appends {@code s} as a JSON string literal, or {@code null} when {@code s} is null. */
  public static StringBuilder append(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      b.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return b.append(s, start, n).append('"');
  }
}
