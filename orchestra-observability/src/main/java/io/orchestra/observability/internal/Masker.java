package io.orchestra.observability.internal;

import java.util.Arrays;

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
 * <p>The text is scanned as a {@code char[]}: a per-thread buffer (kept up to {@value
 * #MAX_KEPT_BUFFER} characters) receives a bulk copy of the string, which is cheaper than {@code
 * String.charAt}'s per-character encoding and bounds checks in the scanning loops. Inside a word
 * nothing is a trigger, so a word whose first character cannot start an item is skipped whole.
 *
 * <p>Stateless (apart from the scratch buffer) and thread-safe.
 */
public final class Masker {
  /** Longer texts are scanned in a fresh array rather than growing the thread's buffer. */
  public static final int MAX_KEPT_BUFFER = 1 << 16;

  /** Character classes: word characters, those that may start an item, and triggers. */
  private static final byte WORD = 1;
  private static final byte STARTER = 2;
  private static final byte DELIMITER = 4;
  private static final byte AT = 8;
  /** Indexed by any char (64 KiB, of which only the ASCII line is ever hot): no range test. */
  private static final byte[] CLASS = new byte[Character.MAX_VALUE + 1];
  private static final String[] SENSITIVE_SUFFIXES = {
    "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey",
    "privatekey", "authorization", "credential", "credentials", "sessionid", "cookie"
  };
  /** The suffixes above by their last letter, so that a key is compared with only a few of them. */
  private static final String[][] SUFFIXES_BY_LAST = new String[26][];
  /** Per thread: the input copy and the output being built (null until a line needs masking). */
  private static final ThreadLocal<char[][]> BUFFERS = ThreadLocal.withInitial(() -> new char[][] {new char[512], null});

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      CLASS[c] = WORD;
      CLASS[c - 32] = WORD;
    }
    CLASS['_'] = WORD;
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = WORD | STARTER;
    }
    for (char c : new char[] {'B', 'b', 'e', 's', 'r', 'g', 'x', 'A'}) {
      CLASS[c] = WORD | STARTER;
    }
    CLASS['='] = DELIMITER;
    CLASS[':'] = DELIMITER;
    CLASS['@'] = AT;
    for (int last = 0; last < 26; last++) {
      char letter = (char) ('a' + last);
      SUFFIXES_BY_LAST[last] = Arrays.stream(SENSITIVE_SUFFIXES)
          .filter(suffix -> suffix.charAt(suffix.length() - 1) == letter)
          .toArray(String[]::new);
    }
  }

  private Masker() {}

  /** {@code text} with every sensitive item replaced; the same instance when there is none. */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    char[][] buffers = n > MAX_KEPT_BUFFER ? new char[][] {new char[n], null} : BUFFERS.get();
    char[] s = input(buffers, text, n);
    char[] out = null;
    int length = 0;
    int copied = 0;
    int i = 0;
    while (i < n) {
      char c = s[i];
      int kind = CLASS[c];
      if (kind == 0) {
        i++;
        continue;
      }
      int start = i;
      int end;
      String replacement;
      if ((kind & WORD) != 0) {
        // A detector runs only at a word start, and nothing inside a word is a trigger: skip it.
        if ((kind & STARTER) == 0 || i > 0 && isWordChar(s[i - 1])) {
          i = wordEnd(s, n, i + 1);
          continue;
        }
        if (c <= '9') {
          end = CredentialShapes.cardEnd(s, n, i);
          if (end < 0) {
            i = -end;
            continue;
          }
          replacement = "[card]";
        } else {
          long credential = c == 'B' || c == 'b' ? CredentialShapes.authCredential(text, s, n, i) : -1;
          if (credential >= 0) {
            start = (int) (credential >>> 32);
            end = (int) credential;
            replacement = "[token]";
          } else if (c == 'e' && (end = CredentialShapes.jwtEnd(text, s, n, i)) > 0) {
            replacement = "[jwt]";
          } else if ((end = CredentialShapes.apiKeyEnd(text, s, n, i)) > 0) {
            replacement = "[api_key]";
          } else {
            i = wordEnd(s, n, i + 1);
            continue;
          }
        }
      } else if (kind == AT) {
        int localStart = i;
        while (localStart > copied && isEmailLocalChar(s[localStart - 1])) {
          localStart--;
        }
        end = localStart < i ? emailDomainEnd(s, n, i + 1) : -1;
        if (end < 0) {
          i++;
          continue;
        }
        start = localStart;
        replacement = "[email]";
      } else {
        long value = SecretValues.valueAfter(text, s, n, i, copied);
        if (value < 0) {
          i++;
          continue;
        }
        start = (int) (value >>> 32);
        end = (int) value;
        replacement = "[secret]";
      }
      out = reserve(buffers, out, length, start - copied + replacement.length() + (n - end));
      System.arraycopy(s, copied, out, length, start - copied);
      length += start - copied;
      replacement.getChars(0, replacement.length(), out, length);
      length += replacement.length();
      copied = end;
      i = end;
    }
    if (out == null) {
      return text;
    }
    System.arraycopy(s, copied, out, length, n - copied);
    return new String(out, 0, length + n - copied);
  }

  /**
   * The output buffer with room for {@code more} characters after {@code length} (the text left
   * to copy is included, so the final copy always fits); replacements can be longer than what
   * they replace.
   */
  private static char[] reserve(char[][] buffers, char[] out, int length, int more) {
    if (out == null) {
      out = buffers[1]; // the first replacement of this text: nothing written yet
    }
    int needed = length + more;
    if (out != null && out.length >= needed) {
      return out;
    }
    char[] grown = new char[Math.max(needed, out == null ? 512 : out.length * 2)];
    if (out != null) {
      System.arraycopy(out, 0, grown, 0, length);
    }
    if (grown.length <= MAX_KEPT_BUFFER) {
      buffers[1] = grown;
    }
    return grown;
  }

  /** Whether the key, ignoring case and {@code _ - .}, ends with a secret's name. */
  public static boolean isSensitiveKey(CharSequence key) {
    String k = key.toString();
    int n = k.length();
    char[] s = n > MAX_KEPT_BUFFER ? k.toCharArray() : input(BUFFERS.get(), k, n);
    return isSensitiveKey(s, 0, n);
  }

  /** Like {@link #isSensitiveKey(CharSequence)} on {@code key[from, to)}. */
  static boolean isSensitiveKey(char[] key, int from, int to) {
    int last = to - 1;
    while (last >= from && isKeySeparator(key[last])) {
      last--;
    }
    if (last < from) {
      return false;
    }
    int letter = (key[last] | 0x20) - 'a';
    if (letter < 0 || letter >= 26) {
      return false; // every sensitive name ends with a letter; most keys are rejected here
    }
    for (String suffix : SUFFIXES_BY_LAST[letter]) {
      int k = last - 1;
      int j = suffix.length() - 2;
      while (j >= 0 && k >= from) {
        char c = key[k];
        if (isKeySeparator(c)) {
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

  /** Luhn checksum over the digits in {@code s[from, to)}, ignoring separators. */
  static boolean luhn(char[] s, int from, int to) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = to - 1; i >= from; i--) {
      char c = s[i];
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

  /** The characters of {@code text} in the input buffer {@code buffers[0]}, grown if needed. */
  private static char[] input(char[][] buffers, String text, int n) {
    char[] s = buffers[0];
    if (s.length < n) {
      s = new char[Math.min(MAX_KEPT_BUFFER, Math.max(n, s.length * 2))];
      buffers[0] = s;
    }
    text.getChars(0, n, s, 0);
    return s;
  }

  // ---- e-mail ----

  private static int emailDomainEnd(char[] s, int n, int from) {
    int j = from;
    int labels = 0;
    int lastLabelStart = from;
    int lastLabelLetters = 0;
    while (j < n) {
      int labelStart = j;
      int letters = 0;
      while (j < n && (isAlnum(s[j]) || s[j] == '-')) {
        if (!isDigit(s[j])) {
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
      if (j + 1 < n && s[j] == '.' && isAlnum(s[j + 1])) {
        j++;
      } else {
        break;
      }
    }
    return labels >= 2 && j - lastLabelStart >= 2 && lastLabelLetters == j - lastLabelStart ? j : -1;
  }

  // ---- character classes ----

  /** The end of the run of word characters from {@code i}. */
  static int wordEnd(char[] s, int n, int i) {
    while (i < n && isWordChar(s[i])) {
      i++;
    }
    return i;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  static boolean isWordChar(char c) {
    return (CLASS[c] & WORD) != 0;
  }

  static boolean isKeyChar(char c) {
    return isWordChar(c) || c == '-' || c == '.';
  }

  private static boolean isKeySeparator(char c) {
    return c == '_' || c == '-' || c == '.';
  }

  private static boolean isEmailLocalChar(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  static boolean isBase64Url(char c) {
    return isAlnum(c) || c == '-' || c == '_';
  }

  static boolean isTokenChar(char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
  }
}
