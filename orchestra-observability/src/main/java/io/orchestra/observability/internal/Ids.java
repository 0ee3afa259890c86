package io.orchestra.observability.internal;

import io.orchestra.core.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Trace and span id validation and normalization (W3C: lower-case hex, not all zeros). */
public final class Ids {
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
    return traceId(high, low, new byte[32]);
  }

  /**
   * {@link #traceId(long, long)} written through {@code scratch} (at least 32 bytes, confined to
   * the caller): the result's own bytes are then the only array allocated, where going through a
   * {@code char[]} costs a second, twice as large one.
   */
  static String traceId(long high, long low, byte[] scratch) {
    Hex.write(high, scratch, 0); // eight digits per store: the drain writes 48 per new trace
    Hex.write(low, scratch, 16);
    return new String(scratch, 0, 32, StandardCharsets.ISO_8859_1);
  }

  /** The 16-digit hex form of a 64-bit id. */
  public static String spanId(long id) {
    return spanId(id, new byte[16]);
  }

  /** {@link #spanId(long)} written through {@code scratch} (see {@link #traceId(long, long, byte[])}). */
  static String spanId(long id, byte[] scratch) {
    Hex.write(id, scratch, 0);
    return new String(scratch, 0, 16, StandardCharsets.ISO_8859_1);
  }

  /** The low 64 bits of a valid 32-digit trace id. */
  public static long low64(String traceId) {
    return parseHex16(traceId, 16);
  }

  /** The high 64 bits of a valid 32-digit trace id. */
  public static long high64(String traceId) {
    return parseHex16(traceId, 0);
  }

  /** The 16 hex digits of {@code s} from {@code offset}, without a substring. */
  private static long parseHex16(String s, int offset) {
    long v = 0;
    for (int i = offset; i < offset + 16; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        throw new NumberFormatException("not a hex digit at " + i + ": " + s);
      }
      v = v << 4 | d;
    }
    return v;
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
