package io.orchestra.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Lower-case hex for trace and span ids, without intermediate strings: core's trace-context
 * formatters and observability's span store write ids with it.
 */
public final class Hex {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Hex() {}

  /**
   * Writes {@code value} as 16 lower-case hex digits (Latin-1 bytes) at {@code offset}, eight
   * digits per store: request paths format a {@code traceparent} per call.
   */
  public static void write(long value, byte[] out, int offset) {
    LONGS.set(out, offset, digits(value >>> 32));
    LONGS.set(out, offset + 8, digits(value & 0xffffffffL));
  }

  /**
   * The eight hex digits of the low 32 bits of {@code value}, most significant first, as eight
   * ASCII bytes in a long: the nibbles are spread one per byte, then each becomes {@code '0' + n},
   * plus the distance to {@code 'a'} where {@code n >= 10} (no byte ever carries into the next).
   */
  private static long digits(long value) {
    long x = value;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    long letters = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L; // 1 where n >= 10
    return x + 0x3030303030303030L + letters * ('a' - '0' - 10);
  }

  /** The lower-case hex digit of {@code nibble} (0..15) as a Latin-1 byte. */
  public static byte digitByte(int nibble) {
    return (byte) (nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
  }

  /** Parses 16 lower-case hex digits at {@code offset}; returns false in {@code ok[0]} if invalid. */
  public static long parse(CharSequence s, int offset, int length, boolean[] ok) {
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
  public static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
