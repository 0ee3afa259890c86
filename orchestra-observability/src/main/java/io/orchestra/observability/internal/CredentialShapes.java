package io.orchestra.observability.internal;

/**
 * The shapes {@link Masker} recognizes at a word start: card numbers (Luhn-checked), {@code
 * Bearer}/{@code Basic} credentials, JWTs and well-known API keys. Each works on the masker's
 * character copy {@code s[0, n)} of {@code text} and allocates nothing; a cheap look at the first
 * two characters rules out ordinary words before anything is compared.
 */
final class CredentialShapes {
  private static final String[] KEY_PREFIXES = {
    "sk_live_", "sk_test_", "rk_live_", "rk_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "glpat-"
  };

  private CredentialShapes() {}

  // ---- cards ----

  /** End of a card number starting at {@code i}, or minus the end of the digit run to skip. */
  static int cardEnd(char[] s, int n, int i) {
    // Most digit runs in logs (dates, times, counts) are too short to start a card: a card's
    // first group has 3 to 6 digits when separated, 13 to 19 when not.
    if (i + 2 >= n || !Masker.isDigit(s[i + 1]) || !Masker.isDigit(s[i + 2])) {
      return -Math.max(Masker.wordEnd(s, n, i), i + 1);
    }
    int j = i;
    int digits = 0;
    int group = 0;
    boolean separated = false;
    boolean groupsOk = true;
    while (j < n) {
      char c = s[j];
      if (c >= '0' && c <= '9') {
        digits++;
        group++;
        j++;
      } else if ((c == ' ' || c == '-') && j + 1 < n && Masker.isDigit(s[j + 1]) && digits > 0) {
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
    boolean boundary = j == n || !Masker.isWordChar(s[j]);
    if (digits >= 13 && digits <= 19 && groupsOk && boundary && !isEpochTimestamp(s, i, digits, separated)
        && Masker.luhn(s, i, j)) {
      return j;
    }
    // Skip the leading digits only, so that a separated group after it is judged on its own.
    return -Math.max(Masker.wordEnd(s, n, i), i + 1);
  }

  /**
   * Epoch milli-, micro- and nanoseconds of 2001 to 2033 are 13, 16 and 19 digits starting with
   * 1, and about one in ten passes Luhn. No card scheme issues such numbers (the only cards
   * starting with 1, UATP's, have 15 digits), so an unseparated run of that shape is a timestamp.
   */
  private static boolean isEpochTimestamp(char[] s, int i, int digits, boolean separated) {
    return !separated && s[i] == '1' && (digits == 13 || digits == 16 || digits == 19);
  }

  // ---- Bearer / Basic ----

  /** The credential after {@code Bearer }/{@code Basic } at {@code i} as {@code start << 32 | end}, or -1. */
  static long authCredential(String text, char[] s, int n, int i) {
    int second = i + 1 < n ? s[i + 1] | 0x20 : 0;
    if (second != 'e' && second != 'a') {
      return -1;
    }
    int schemeLength;
    if (text.regionMatches(true, i, "bearer ", 0, 7)) {
      schemeLength = 7;
    } else if (text.regionMatches(true, i, "basic ", 0, 6)) {
      schemeLength = 6;
    } else {
      return -1;
    }
    int j = i + schemeLength;
    while (j < n && s[j] == ' ') {
      j++;
    }
    int start = j;
    while (j < n && Masker.isTokenChar(s[j])) {
      j++;
    }
    return j - start >= 8 ? (long) start << 32 | j : -1;
  }

  // ---- JWT ----

  static int jwtEnd(String text, char[] s, int n, int i) {
    if (!text.startsWith("eyJ", i)) {
      return -1;
    }
    int j = i;
    for (int segment = 0; segment < 3; segment++) {
      int start = j;
      while (j < n && Masker.isBase64Url(s[j])) {
        j++;
      }
      if (segment < 2) {
        if (j - start < 4 || j >= n || s[j] != '.') {
          return -1;
        }
        j++;
      }
    }
    return j;
  }

  // ---- API keys ----

  static int apiKeyEnd(String text, char[] s, int n, int i) {
    char c = s[i];
    if (c == 'A') {
      if ((text.startsWith("AKIA", i) || text.startsWith("ASIA", i)) && i + 20 <= n) {
        for (int j = i + 4; j < i + 20; j++) {
          char d = s[j];
          if (!(d >= 'A' && d <= 'Z' || d >= '0' && d <= '9')) {
            return -1;
          }
        }
        return i + 20 == n || !Masker.isWordChar(s[i + 20]) ? i + 20 : -1;
      }
      if (text.startsWith("AIza", i)) {
        int j = base64UrlEnd(s, n, i + 4);
        return j - i >= 39 ? j : -1;
      }
      return -1;
    }
    char second = i + 1 < n ? s[i + 1] : ' ';
    boolean candidate = switch (c) {
      case 's', 'r' -> second == 'k';
      case 'g' -> second == 'h' || second == 'l' || second == 'i';
      case 'x' -> second == 'o';
      default -> false;
    };
    if (!candidate) {
      return -1;
    }
    for (String prefix : KEY_PREFIXES) {
      if (prefix.charAt(0) == c && text.startsWith(prefix, i)) {
        int j = base64UrlEnd(s, n, i + prefix.length());
        return j - i - prefix.length() >= 10 ? j : -1;
      }
    }
    return -1;
  }

  private static int base64UrlEnd(char[] s, int n, int j) {
    while (j < n && Masker.isBase64Url(s[j])) {
      j++;
    }
    return j;
  }
}
