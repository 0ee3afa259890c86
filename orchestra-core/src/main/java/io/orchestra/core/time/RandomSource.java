package io.orchestra.core.time;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The randomness every engine takes from the outside: jitter, sampling, tie-breaking, ids.
 *
 * <p>{@link #system()} is fast and unpredictable; {@link #seeded(long)} gives a reproducible
 * sequence for tests and simulations. Implementations are thread-safe and allocation-free.
 */
public interface RandomSource {

  /** Returns the next uniformly distributed 64-bit value. */
  long nextLong();

  /** A uniformly distributed value in {@code [0, 1)}. */
  default double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A uniformly distributed value in {@code [0, bound)}; {@code bound} must be positive. */
  default long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, was " + bound);
    }
    long m = bound - 1;
    long r = nextLong() >>> 1;
    if ((bound & m) == 0L) {
      return r & m;
    }
    // Rejection sampling removes the modulo bias.
    for (long u = r; u - (r = u % bound) + m < 0L; u = nextLong() >>> 1) {}
    return r;
  }

  /** A uniformly distributed value in {@code [0, bound)}; {@code bound} must be positive. */
  default int nextInt(int bound) {
    return (int) nextLong(bound);
  }

  /** Randomness from {@link ThreadLocalRandom}: fast, unseeded, contention-free. */
  static RandomSource system() {
    return SystemRandomSource.INSTANCE;
  }

  /**
   * A deterministic, thread-safe source (SplitMix64 over an atomic counter). The same seed gives
   * the same sequence when called from one thread; under concurrency each value is still drawn
   * exactly once.
   */
  static RandomSource seeded(long seed) {
    return new SeededRandom(seed);
  }
}
