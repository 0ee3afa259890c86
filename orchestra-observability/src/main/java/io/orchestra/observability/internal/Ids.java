package io.orchestra.observability.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Trace and span id validation and normalization (W3C: lower-case hex, not all zeros). */
public final class Ids {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
    write(high, scratch, 0);
    write(low, scratch, 16);
    return new String(scratch, 0, 32, StandardCharsets.ISO_8859_1);
  }

  /** The 16-digit hex form of a 64-bit id. */
  public static String spanId(long id) {
    return spanId(id, new byte[16]);
  }

  /** {@link #spanId(long)} written through {@code scratch} (see {@link #traceId(long, long, byte[])}). */
  static String spanId(long id, byte[] scratch) {
    write(id, scratch, 0);
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

  /**
   * Writes {@code v} as 16 lower-case hex digits at {@code offset}, eight digits per store: the
   * drain writes 48 digits for a new one-span trace, and a table lookup and a byte store per two
   * digits were a tenth of storing it. The technique is core's {@code Hex} (package-private
   * there, and without a caller's buffer in its public formatters).
   */
  private static void write(long v, byte[] out, int offset) {
    LONGS.set(out, offset, digits(v >>> 32));
    LONGS.set(out, offset + 8, digits(v & 0xffffffffL));
  }

  /**
   * The eight hex digits of the low 32 bits of {@code v}, most significant first, as eight ASCII
   * bytes in a long: the nibbles are spread one per byte, then each becomes {@code '0' + n}, plus
   * the distance to {@code 'a'} where {@code n >= 10} (no byte ever carries into the next).
   */
  private static long digits(long v) {
    long x = v;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    long letters = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L; // 1 where n >= 10
    return x + 0x3030303030303030L + letters * ('a' - '0' - 10);
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
