package io.orchestra.discovery.internal;

/** Allocation-free 64-bit mixing for consistent hashing. */
final class Hashing {
  private Hashing() {}

  /** MurmurHash3's 64-bit finalizer: spreads every input bit over the output. */
  static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** A 64-bit hash of a string that does not depend on {@link String#hashCode()} alone. */
  static long hash(String s, long seed) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L; // FNV-1a step, then a strong finalizer
    }
    return fmix64(h);
  }

  /** The smallest prime {@code >= n} (n is small: trial division is fast enough at build time). */
  static int nextPrime(int n) {
    for (int c = Math.max(2, n); ; c++) {
      if (isPrime(c)) {
        return c;
      }
    }
  }

  private static boolean isPrime(int c) {
    if (c < 4) {
      return c >= 2;
    }
    if ((c & 1) == 0) {
      return false;
    }
    for (int d = 3; (long) d * d <= c; d += 2) {
      if (c % d == 0) {
        return false;
      }
    }
    return true;
  }
}
