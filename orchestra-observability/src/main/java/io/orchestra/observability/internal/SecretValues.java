package io.orchestra.observability.internal;

/**
 * The value after a sensitive key's {@code =} or {@code :} for {@link Masker}: {@code
 * password=x}, {@code password = x}, {@code "secret": "x"}, {@code 'token': 'x'}, {@code
 * Authorization: Bearer x}. Works on the masker's character copy of the text; allocates nothing.
 */
final class SecretValues {
  /** Longer keys are not names of secrets (and are not scanned further back). */
  private static final int MAX_KEY_LENGTH = 64;

  private SecretValues() {}

  /**
   * The secret value after the delimiter at {@code i} as {@code start << 32 | end}, or -1 when
   * the key before it is not sensitive; the key is looked for in {@code s[floor, i)}.
   */
  static long valueAfter(String text, char[] s, int n, int i, int floor) {
    int k = i - 1;
    // up to three blanks before the delimiter: password = x, and "password" : "x" (pretty JSON)
    while (k >= floor && k >= i - 3 && (s[k] == ' ' || s[k] == '\t')) {
      k--;
    }
    // a quoted key: "password": (JSON) or 'password': (Python and Ruby hashes)
    if (k >= floor && (s[k] == '"' || s[k] == '\'')) {
      k--;
    }
    int keyEnd = k + 1;
    // A suffix match cannot cross a character that is not a key character, so the key's start is
    // only needed (for its length) once the name is known to be sensitive, which is rare.
    if (!Masker.isSensitiveKey(s, floor, keyEnd)) {
      return -1;
    }
    int lowest = Math.max(floor, keyEnd - MAX_KEY_LENGTH - 1);
    while (k >= lowest && Masker.isKeyChar(s[k])) {
      k--;
    }
    int keyStart = k + 1;
    if (keyEnd - keyStart < 2 || keyEnd - keyStart > MAX_KEY_LENGTH) {
      return -1;
    }
    int v = i + 1;
    while (v < n && s[v] == ' ') {
      v++;
    }
    if (v >= n) {
      return -1;
    }
    if (s[v] == '"' || s[v] == '\'') {
      char quote = s[v];
      int e = v + 1;
      while (e < n && s[e] != quote) {
        e += s[e] == '\\' ? 2 : 1;
      }
      e = Math.min(e, n);
      return e > v + 1 ? span(v + 1, e) : -1;
    }
    int e = valueEnd(s, n, v);
    // "Authorization: Bearer abc": the scheme word is followed by the credential.
    if (e < n && s[e] == ' ' && isAuthScheme(text, v, e)) {
      e = valueEnd(s, n, e + 1);
    }
    return e > v ? span(v, e) : -1;
  }

  private static int valueEnd(char[] s, int n, int e) {
    while (e < n && !isValueEnd(s[e])) {
      e++;
    }
    return e;
  }

  private static boolean isAuthScheme(String s, int from, int to) {
    return s.regionMatches(true, from, "bearer", 0, 6) && to - from == 6
        || s.regionMatches(true, from, "basic", 0, 5) && to - from == 5
        || s.regionMatches(true, from, "token", 0, 5) && to - from == 5;
  }

  private static long span(int start, int end) {
    return (long) start << 32 | end;
  }

  private static boolean isValueEnd(char c) {
    return c == ' ' || c == ',' || c == ';' || c == '&' || c == '}' || c == ']' || c == '"' || c == '\''
        || c == '\t' || c == '\n' || c == '\r';
  }
}
