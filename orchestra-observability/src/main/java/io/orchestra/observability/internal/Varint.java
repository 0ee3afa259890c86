package io.orchestra.observability.internal;

import java.util.Arrays;

/** LEB128 varints (zig-zag for signed values), used to pack closed sketches. */
final class Varint {
  private Varint() {}

  /** Appends varints to a growing byte array; not thread-safe. */
  static final class Writer {
    private byte[] bytes;
    private int size;

    Writer(int capacity) {
      bytes = new byte[Math.max(8, capacity)];
    }

    void writeUnsigned(long v) {
      while (true) {
        if (size + 1 > bytes.length) {
          bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        if ((v & ~0x7FL) == 0) {
          bytes[size++] = (byte) v;
          return;
        }
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
    }

    void writeSigned(long v) {
      writeUnsigned((v << 1) ^ (v >> 63));
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }
  }

  /** Reads varints from a byte array; not thread-safe. */
  static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    long readUnsigned() {
      long v = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[position++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
        shift += 7;
      }
    }

    long readSigned() {
      long u = readUnsigned();
      return (u >>> 1) ^ -(u & 1);
    }
  }
}
