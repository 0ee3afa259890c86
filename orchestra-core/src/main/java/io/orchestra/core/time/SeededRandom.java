package io.orchestra.core.time;

import java.util.concurrent.atomic.AtomicLong;

/** SplitMix64 (Steele, Lea, Flood 2014) over an atomic state: deterministic and lock-free. */
final class SeededRandom implements RandomSource {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final AtomicLong state;

  SeededRandom(long seed) {
    this.state = new AtomicLong(seed);
  }

  @Override
  public long nextLong() {
    long z = state.addAndGet(GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "RandomSource.seeded";
  }
}
