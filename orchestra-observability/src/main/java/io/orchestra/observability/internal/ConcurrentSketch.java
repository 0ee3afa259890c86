package io.orchestra.observability.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live side of a timer: the same buckets as {@link QuantileSketch}, as atomic counters in
 * chunks of 64 that are allocated on first use, so a timer whose values span two decades holds a
 * handful of chunks. Recording is one atomic increment and allocates nothing once the chunk
 * exists; {@link #drainInto} moves the counts out for a harvest.
 *
 * <p>Thread-safe and lock-free. A record that races a drain lands in this drain or the next one,
 * never in both and never nowhere.
 */
public final class ConcurrentSketch {
  private static final int CHUNK_BITS = 6;
  private static final int CHUNK = 1 << CHUNK_BITS;

  private final int maxIndex;
  private final long multiplier;
  private final int indexOffset;
  private final int base;
  private final AtomicReferenceArray<AtomicLongArray> chunks;
  private final AtomicLongArray zero = new AtomicLongArray(1);

  /** An empty sketch on {@code mapping}. */
  public ConcurrentSketch(SketchMapping mapping) {
    this.maxIndex = mapping.maxIndex();
    this.multiplier = mapping.multiplier();
    this.indexOffset = mapping.indexOffset();
    this.base = mapping.minIndex();
    this.chunks = new AtomicReferenceArray<>(((mapping.maxIndex() - base) >> CHUNK_BITS) + 1);
  }

  /** Records one value; values below the smallest indexable one count as zero. */
  public void record(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int index;
    if (Long.compareUnsigned(bits - SketchMapping.MIN_BITS, SketchMapping.INDEXABLE_SPAN) < 0) {
      index = SketchMapping.index(bits, multiplier, indexOffset);
    } else if (value >= SketchMapping.MAX_VALUE) {
      index = maxIndex;
    } else {
      zero.getAndIncrement(0);
      return;
    }
    int i = index - base;
    AtomicLongArray chunk = chunks.get(i >> CHUNK_BITS);
    if (chunk == null) {
      chunk = install(i >> CHUNK_BITS);
    }
    chunk.getAndIncrement(i & (CHUNK - 1));
  }

  /** Moves every count into {@code target} (same mapping) and returns how many moved. */
  public long drainInto(QuantileSketch target) {
    long moved = zero.getAndSet(0, 0);
    target.addZeros(moved);
    for (int c = 0; c < chunks.length(); c++) {
      AtomicLongArray chunk = chunks.get(c);
      if (chunk == null) {
        continue;
      }
      for (int j = 0; j < CHUNK; j++) {
        if (chunk.get(j) != 0) {
          long n = chunk.getAndSet(j, 0);
          target.add(base + (c << CHUNK_BITS) + j, n);
          moved += n;
        }
      }
    }
    return moved;
  }

  /** Whether every count is zero (a snapshot: records may land while it looks). */
  public boolean isEmpty() {
    if (zero.get(0) != 0) {
      return false;
    }
    for (int c = 0; c < chunks.length(); c++) {
      AtomicLongArray chunk = chunks.get(c);
      if (chunk != null) {
        for (int j = 0; j < CHUNK; j++) {
          if (chunk.get(j) != 0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Moves every count into {@code target} (same mapping) and returns how many moved; like {@link
   * #drainInto}, a count is taken by one mover only.
   */
  public long moveInto(ConcurrentSketch target) {
    long moved = zero.getAndSet(0, 0);
    target.zero.getAndAdd(0, moved);
    for (int c = 0; c < chunks.length(); c++) {
      AtomicLongArray chunk = chunks.get(c);
      if (chunk == null) {
        continue;
      }
      for (int j = 0; j < CHUNK; j++) {
        if (chunk.get(j) != 0) {
          long n = chunk.getAndSet(j, 0);
          AtomicLongArray to = target.chunks.get(c);
          if (to == null) {
            to = target.install(c);
          }
          to.getAndAdd(j, n);
          moved += n;
        }
      }
    }
    return moved;
  }

  private AtomicLongArray install(int c) {
    AtomicLongArray fresh = new AtomicLongArray(CHUNK);
    return chunks.compareAndSet(c, null, fresh) ? fresh : chunks.get(c);
  }
}
