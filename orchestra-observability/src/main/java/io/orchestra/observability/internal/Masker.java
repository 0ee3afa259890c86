package io.orchestra.observability.internal;

/**
 * One-pass masking of sensitive data in free text. It looks only at trigger characters and
 * word starts, so clean text costs a table lookup per character and is returned as the same
 * instance, without allocation.
 *
 * <ul>
 *   <li>{@code @}: an e-mail address around it becomes {@code [email]};
 *   <li>a digit at a word start: 13 to 19 digits, optionally in groups of 3 to 6 separated by
 *       single spaces or dashes, that pass the Luhn check become {@code [card]} (order ids and
 *       other numbers that fail Luhn are kept, and so are epoch timestamps in milli-, micro- or
 *       nanoseconds: unseparated 13, 16 or 19 digits starting with 1);
 *   <li>{@code =} or {@code :} after a sensitive key ({@code password}, {@code secret}, {@code
 *       token}, {@code api_key}, {@code authorization}... also as a suffix such as {@code
 *       db_password}, quoted in double or single quotes or not, with up to three blanks before
 *       the delimiter): the value becomes {@code [secret]}, quotes kept;
 *   <li>{@code Bearer }/{@code Basic } followed by a credential: the credential becomes {@code
 *       [token]};
 *   <li>{@code eyJ...} with three base64url segments: a JWT, becomes {@code [jwt]};
 *   <li>well-known API key shapes (AWS {@code AKIA}/{@code ASIA}, Stripe {@code sk_live_}, GitHub
 *       {@code ghp_}..., Slack {@code xox?-}, Google {@code AIza}, GitLab {@code glpat-}): {@code
 *       [api_key]}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Masker {
  private static final byte ALWAYS = 1;
  private static final byte WORD_START = 2;
  private static final byte[] TRIGGERS = new byte[128];
  private static final String[] SENSITIVE_SUFFIXES = {
    "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey",
    "privatekey", "authorization", "credential", "credentials", "sessionid", "cookie"
  };
  private static final String[] KEY_PREFIXES = {
    "sk_live_", "sk_test_", "rk_live_", "rk_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "glpat-"
  };

  static {
    TRIGGERS['@'] = ALWAYS;
    TRIGGERS['='] = ALWAYS;
    TRIGGERS[':'] = ALWAYS;
    for (char c = '0'; c <= '9'; c++) {
      TRIGGERS[c] = WORD_START;
    }
    for (char c : new char[] {'B', 'b', 'e', 's', 'r', 'g', 'x', 'A'}) {
      TRIGGERS[c] = WORD_START;
    }
  }

  private Masker() {}

  /** {@code text} with every sensitive item replaced; the same instance when there is none. */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int t = c < 128 ? TRIGGERS[c] : 0;
      if (t == 0) {
        i++;
        continue;
      }
      int end = -1;
      int start = i;
      String replacement = null;
      if (t == WORD_START) {
        if (i > 0 && isWordChar(text.charAt(i - 1))) {
          i++;
          continue;
        }
        if (c >= '0' && c <= '9') {
          int runEnd = cardEnd(text, i);
          if (runEnd < 0) {
            i = -runEnd;
            continue;
          }
          end = runEnd;
          replacement = "[card]";
        } else if ((c == 'B' || c == 'b') && (end = authSchemeCredentialEnd(text, i)) > 0) {
          start = text.indexOf(' ', i) + 1;
          while (text.charAt(start) == ' ') {
            start++;
          }
          replacement = "[token]";
        } else if (c == 'e' && (end = jwtEnd(text, i)) > 0) {
          replacement = "[jwt]";
        } else if ((end = apiKeyEnd(text, i)) > 0) {
          replacement = "[api_key]";
        } else {
          i++;
          continue;
        }
      } else if (c == '@') {
        int localStart = i;
        while (localStart > copied && isEmailLocalChar(text.charAt(localStart - 1))) {
          localStart--;
        }
        end = localStart < i ? emailDomainEnd(text, i + 1) : -1;
        if (end < 0) {
          i++;
          continue;
        }
        start = localStart;
        replacement = "[email]";
      } else {
        int[] value = secretValue(text, i, copied);
        if (value == null) {
          i++;
          continue;
        }
        start = value[0];
        end = value[1];
        replacement = "[secret]";
      }
      if (out == null) {
        out = new StringBuilder(n + 16);
      }
      out.append(text, copied, start).append(replacement);
      copied = end;
      i = end;
    }
    if (out == null) {
      return text;
    }
    out.append(text, copied, n);
    return out.toString();
  }

  /** Whether the key, ignoring case and {@code _ - .}, ends with a secret's name. */
  public static boolean isSensitiveKey(CharSequence key) {
    return isSensitiveKey(key, 0, key.length());
  }

  /** Like {@link #isSensitiveKey(CharSequence)} on {@code key[from, to)}, without allocating. */
  static boolean isSensitiveKey(CharSequence key, int from, int to) {
    for (String suffix : SENSITIVE_SUFFIXES) {
      int k = to - 1;
      int j = suffix.length() - 1;
      while (j >= 0 && k >= from) {
        char c = key.charAt(k);
        if (c == '_' || c == '-' || c == '.') {
          k--;
          continue;
        }
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c + 32);
        }
        if (c != suffix.charAt(j)) {
          break;
        }
        j--;
        k--;
      }
      if (j < 0) {
        return true;
      }
    }
    return false;
  }

  /** Luhn checksum over the digits in {@code [from, to)}, ignoring separators. */
  public static boolean luhn(CharSequence s, int from, int to) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = to - 1; i >= from; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  // ---- cards ----

  /** End of a card number starting at {@code i}, or minus the end of the digit run to skip. */
  private static int cardEnd(String s, int i) {
    int n = s.length();
    int j = i;
    int digits = 0;
    int group = 0;
    boolean separated = false;
    boolean groupsOk = true;
    while (j < n) {
      char c = s.charAt(j);
      if (c >= '0' && c <= '9') {
        digits++;
        group++;
        j++;
      } else if ((c == ' ' || c == '-') && j + 1 < n && isDigit(s.charAt(j + 1)) && digits > 0) {
        separated = true;
        groupsOk &= group >= 3 && group <= 6;
        group = 0;
        j++;
      } else {
        break;
      }
    }
    if (separated) {
      groupsOk &= group >= 3 && group <= 6;
    }
    boolean boundary = j == n || !isWordChar(s.charAt(j));
    if (digits >= 13 && digits <= 19 && groupsOk && boundary && !isEpochTimestamp(s, i, digits, separated)
        && luhn(s, i, j)) {
      return j;
    }
    // Skip the leading digits only, so that a separated group after it is judged on its own.
    int k = i;
    while (k < n && isWordChar(s.charAt(k))) {
      k++;
    }
    return -Math.max(k, i + 1);
  }

  /**
   * Epoch milli-, micro- and nanoseconds of 2001 to 2033 are 13, 16 and 19 digits starting with
   * 1, and about one in ten passes Luhn. No card scheme issues such numbers (the only cards
   * starting with 1, UATP's, have 15 digits), so an unseparated run of that shape is a timestamp.
   */
  private static boolean isEpochTimestamp(String s, int i, int digits, boolean separated) {
    return !separated && s.charAt(i) == '1' && (digits == 13 || digits == 16 || digits == 19);
  }

  // ---- key = value ----

  /** The [start, end) of a secret value after the delimiter at {@code i}, or null. */
  private static int[] secretValue(String s, int i, int floor) {
    int k = i - 1;
    // up to three blanks before the delimiter: password = x, and "password" : "x" (pretty JSON)
    while (k >= floor && k >= i - 3 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
      k--;
    }
    // a quoted key: "password": (JSON) or 'password': (Python and Ruby hashes)
    if (k >= floor && (s.charAt(k) == '"' || s.charAt(k) == '\'')) {
      k--;
    }
    int keyEnd = k + 1;
    while (k >= floor && isKeyChar(s.charAt(k))) {
      k--;
    }
    int keyStart = k + 1;
    if (keyEnd - keyStart < 2 || keyEnd - keyStart > 64 || !isSensitiveKey(s, keyStart, keyEnd)) {
      return null;
    }
    int n = s.length();
    int v = i + 1;
    while (v < n && s.charAt(v) == ' ') {
      v++;
    }
    if (v >= n) {
      return null;
    }
    if (s.charAt(v) == '"' || s.charAt(v) == '\'') {
      char quote = s.charAt(v);
      int e = v + 1;
      while (e < n && s.charAt(e) != quote) {
        e += s.charAt(e) == '\\' ? 2 : 1;
      }
      e = Math.min(e, n);
      return e > v + 1 ? new int[] {v + 1, e} : null;
    }
    int e = v;
    while (e < n && !isValueEnd(s.charAt(e))) {
      e++;
    }
    // "Authorization: Bearer abc": the scheme word is followed by the credential.
    if (e < n && s.charAt(e) == ' ' && isAuthScheme(s, v, e)) {
      e++;
      while (e < n && !isValueEnd(s.charAt(e))) {
        e++;
      }
    }
    return e > v ? new int[] {v, e} : null;
  }

  private static boolean isAuthScheme(String s, int from, int to) {
    return s.regionMatches(true, from, "bearer", 0, 6) && to - from == 6
        || s.regionMatches(true, from, "basic", 0, 5) && to - from == 5
        || s.regionMatches(true, from, "token", 0, 5) && to - from == 5;
  }

  // ---- Bearer / Basic ----

  private static int authSchemeCredentialEnd(String s, int i) {
    int schemeLength;
    if (s.regionMatches(true, i, "bearer ", 0, 7)) {
      schemeLength = 7;
    } else if (s.regionMatches(true, i, "basic ", 0, 6)) {
      schemeLength = 6;
    } else {
      return -1;
    }
    int n = s.length();
    int j = i + schemeLength;
    while (j < n && s.charAt(j) == ' ') {
      j++;
    }
    int start = j;
    while (j < n && isTokenChar(s.charAt(j))) {
      j++;
    }
    return j - start >= 8 ? j : -1;
  }

  // ---- JWT ----

  private static int jwtEnd(String s, int i) {
    if (!s.startsWith("eyJ", i)) {
      return -1;
    }
    int n = s.length();
    int j = i;
    for (int segment = 0; segment < 3; segment++) {
      int start = j;
      while (j < n && isBase64Url(s.charAt(j))) {
        j++;
      }
      if (segment < 2) {
        if (j - start < 4 || j >= n || s.charAt(j) != '.') {
          return -1;
        }
        j++;
      }
    }
    return j;
  }

  // ---- API keys ----

  private static int apiKeyEnd(String s, int i) {
    char c = s.charAt(i);
    int n = s.length();
    if (c == 'A') {
      if ((s.startsWith("AKIA", i) || s.startsWith("ASIA", i)) && i + 20 <= n) {
        for (int j = i + 4; j < i + 20; j++) {
          char d = s.charAt(j);
          if (!(d >= 'A' && d <= 'Z' || d >= '0' && d <= '9')) {
            return -1;
          }
        }
        return i + 20 == n || !isWordChar(s.charAt(i + 20)) ? i + 20 : -1;
      }
      if (s.startsWith("AIza", i)) {
        int j = i + 4;
        while (j < n && isBase64Url(s.charAt(j))) {
          j++;
        }
        return j - i >= 39 ? j : -1;
      }
      return -1;
    }
    for (String prefix : KEY_PREFIXES) {
      if (prefix.charAt(0) == c && s.startsWith(prefix, i)) {
        int j = i + prefix.length();
        while (j < n && isBase64Url(s.charAt(j))) {
          j++;
        }
        return j - i - prefix.length() >= 10 ? j : -1;
      }
    }
    return -1;
  }

  // ---- e-mail ----

  private static int emailDomainEnd(String s, int from) {
    int n = s.length();
    int j = from;
    int labels = 0;
    int lastLabelStart = from;
    int lastLabelLetters = 0;
    while (j < n) {
      int labelStart = j;
      int letters = 0;
      while (j < n && (isAlnum(s.charAt(j)) || s.charAt(j) == '-')) {
        if (!isDigit(s.charAt(j))) {
          letters++;
        }
        j++;
      }
      if (j == labelStart) {
        break;
      }
      labels++;
      lastLabelStart = labelStart;
      lastLabelLetters = letters;
      if (j + 1 < n && s.charAt(j) == '.' && isAlnum(s.charAt(j + 1))) {
        j++;
      } else {
        break;
      }
    }
    return labels >= 2 && j - lastLabelStart >= 2 && lastLabelLetters == j - lastLabelStart ? j : -1;
  }

  // ---- character classes ----

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  private static boolean isWordChar(char c) {
    return isAlnum(c) || c == '_';
  }

  private static boolean isKeyChar(char c) {
    return isAlnum(c) || c == '_' || c == '-' || c == '.';
  }

  private static boolean isEmailLocalChar(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isBase64Url(char c) {
    return isAlnum(c) || c == '-' || c == '_';
  }

  private static boolean isTokenChar(char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
  }

  private static boolean isValueEnd(char c) {
    return c == ' ' || c == ',' || c == ';' || c == '&' || c == '}' || c == ']' || c == '"' || c == '\''
        || c == '\t' || c == '\n' || c == '\r';
  }
}
