package io.orchestra.saga.internal;

/**
 * The little JSON writing the journal's own formats need (snapshots, the start header): appending
 * string literals and enum names to a {@link StringBuilder}. Written by hand because these are written on the
 * hot path (a snapshot every few steps, a header per saga) and Jackson's data binding costs
 * several times more per call, in time and garbage, than the text itself. The output is plain
 * JSON that Jackson reads back. Not public API.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code s} as a JSON string literal, or {@code null}. */
  static StringBuilder string(StringBuilder b, String s) {
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

  /** Appends an enum constant's name as a string literal, or {@code null}. */
  static StringBuilder name(StringBuilder b, Enum<?> value) {
    return value == null ? b.append("null") : b.append('"').append(value.name()).append('"');
  }
}
