package io.orchestra.mesh.internal;

/**
 * A 64-bit hash of strings that is the same in every JVM, run and version (unlike identity hashes,
 * and better mixed than {@code String.hashCode()}): FNV-1a over the UTF-16 code units, then the
 * MurmurHash3 finalizer. Allocation-free. Used to route one request key always the same way.
 */
public final class StableHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  /** Two FNV steps over a zero byte are one multiplication by the prime squared. */
  private static final long FNV_PRIME_SQUARED = FNV_PRIME * FNV_PRIME;

  private StableHash() {}

  /** The hash of {@code value}. */
  public static long hash(CharSequence value) {
    long h = FNV_OFFSET;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x100) {
        // (h ^ c) * P, then (h ^ 0) * P: the same value with one multiplication less on the
        // dependency chain (most keys are Latin-1).
        h = (h ^ c) * FNV_PRIME_SQUARED;
      } else {
        h = (h ^ (c & 0xff)) * FNV_PRIME;
        h = (h ^ (c >>> 8)) * FNV_PRIME;
      }
    }
    return mix(h);
  }

  /** The hash of two 64-bit values (a trace id). */
  public static long hash(long high, long low) {
    return mix(mix(high) ^ low);
  }

  /** The MurmurHash3 64-bit finalizer: every input bit affects every output bit. */
  public static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * A bucket in {@code [0, buckets)} for {@code hash} salted with {@code salt}; uniform for
   * well-mixed input. Different salts give independent buckets for the same key.
   *
   * <p>The salted hash's top 32 bits are a fixed point {@code p} in {@code [0, 1)} and the bucket
   * is {@code floor(p * buckets)} (multiply and shift: no 64-bit division on the request path).
   * Because the point does not depend on {@code buckets}, scaling every weight of a split by the
   * same factor (90/10 to 9/1) keeps every key on its subset, which a remainder would not.
   */
  public static int bucket(long hash, long salt, int buckets) {
    long point = mix(hash ^ salt) >>> 32;
    return (int) ((point * buckets) >>> 32);
  }
}
