package io.orchestra.core.resilience.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} calls, in a ring of slots. Each record claims the next slot with one
 * atomic increment, swaps its outcome in, and adjusts the packed totals by the difference with
 * one atomic add: no lock, no allocation.
 */
public final class CountSlidingWindow implements SlidingWindow {
  private static final int PRESENT = 4;
  private static final int FAILURE = 1;
  private static final int SLOW = 2;

  private final int size;
  private final AtomicIntegerArray slots;
  private final AtomicLong cursor = new AtomicLong();
  private final AtomicLong totals = new AtomicLong();

  public CountSlidingWindow(int size) {
    this.size = size;
    this.slots = new AtomicIntegerArray(size);
  }

  @Override
  public long record(boolean failure, boolean slow, long nowNanos) {
    int outcome = PRESENT | (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    int index = (int) (cursor.getAndIncrement() % size);
    int previous = slots.getAndSet(index, outcome);
    return totals.addAndGet(packed(outcome) - packed(previous));
  }

  @Override
  public long snapshot(long nowNanos) {
    return totals.get();
  }

  @Override
  public int capacity() {
    return size;
  }

  private static long packed(int slot) {
    if (slot == 0) {
      return 0;
    }
    return PackedCounts.of((slot & FAILURE) != 0, (slot & SLOW) != 0);
  }

  @Override
  public boolean usesTime() {
    return false;
  }
}
