package io.orchestra.core.trace;

/** Lower-case hex for trace ids, without intermediate strings. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  static void write(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** Parses 16 lower-case hex digits at {@code offset}; returns false in {@code ok[0]} if invalid. */
  static long parse(CharSequence s, int offset, int length, boolean[] ok) {
    long v = 0;
    for (int i = 0; i < length; i++) {
      int d = digit(s.charAt(offset + i));
      if (d < 0) {
        ok[0] = false;
        return 0;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** Lower-case hex digit value, or -1 (upper case is invalid in W3C trace context). */
  static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
