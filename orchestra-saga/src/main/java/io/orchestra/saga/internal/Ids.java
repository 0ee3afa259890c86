package io.orchestra.saga.internal;

import io.orchestra.core.time.RandomSource;
import java.util.UUID;

/** Saga ids: random version-4 UUID text from the injected {@link RandomSource}. Not public API. */
final class Ids {
  private Ids() {}

  static String next(RandomSource random) {
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
