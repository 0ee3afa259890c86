package io.orchestra.core.time;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link RandomSource#system()}: a top-level package-private type, because a type nested in the
 * public interface would be public API by accident.
 */
enum SystemRandomSource implements RandomSource {
  INSTANCE;

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }

  @Override
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, was " + bound);
    }
    return ThreadLocalRandom.current().nextLong(bound);
  }

  @Override
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, was " + bound);
    }
    return ThreadLocalRandom.current().nextInt(bound);
  }
}
