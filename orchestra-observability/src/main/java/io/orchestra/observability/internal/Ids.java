package io.orchestra.observability.internal;

import java.util.Locale;

/** Trace and span id validation and normalization (W3C: lower-case hex, not all zeros). */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /**
   * A 32-digit lower-case trace id from 32 hex digits (any case) or 16 (a 64-bit id, zero-padded
   * on the left, as B3 does); null when invalid or all zeros.
   */
  public static String traceId(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.length() == 16) {
      s = "0000000000000000" + s;
    }
    return s.length() == 32 && isHex(s) ? s.toLowerCase(Locale.ROOT) : null;
  }

  /** A 16-digit lower-case span id from 16 hex digits; null when invalid or all zeros. */
  public static String spanId(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    return s.length() == 16 && isHex(s) ? s.toLowerCase(Locale.ROOT) : null;
  }

  /** The 32-digit hex form of a 128-bit id. */
  public static String traceId(long high, long low) {
    char[] out = new char[32];
    write(high, out, 0);
    write(low, out, 16);
    return new String(out);
  }

  /** The 16-digit hex form of a 64-bit id. */
  public static String spanId(long id) {
    char[] out = new char[16];
    write(id, out, 0);
    return new String(out);
  }

  /** The low 64 bits of a valid 32-digit trace id. */
  public static long low64(String traceId) {
    return Long.parseUnsignedLong(traceId.substring(16), 16);
  }

  /** The high 64 bits of a valid 32-digit trace id. */
  public static long high64(String traceId) {
    return Long.parseUnsignedLong(traceId.substring(0, 16), 16);
  }

  private static void write(long v, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  private static boolean isHex(String s) {
    boolean nonZero = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!(digit || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }
}
