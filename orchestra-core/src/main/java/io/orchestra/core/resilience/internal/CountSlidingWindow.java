package io.orchestra.core.resilience.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The last {@code size} calls, in a ring of slots. Each record claims the next slot with one
 * atomic increment and swaps its outcome in; only when the outcome differs from the one it
 * replaces does it adjust the packed totals (one more atomic add). While the window is full of
 * fast successes, recording another one is a single read: the window would not change.
 *
 * <p>Small rings give each slot its own cache line, so threads writing neighbouring slots do not
 * steal the line from each other.
 */
public final class CountSlidingWindow implements SlidingWindow {
  /** Returned by {@link #record} when the totals did not change. */
  public static final long UNCHANGED = -1;

  private static final int PRESENT = 4;
  private static final int FAILURE = 1;
  private static final int SLOW = 2;
  private static final int INTS_PER_CACHE_LINE = 16;
  private static final int MAX_PADDED_SIZE = 1024;

  private final int size;
  private final int spread;
  private final AtomicIntegerArray slots;
  private final PaddedLong cursor = new PaddedLong();
  private final PaddedLong totals = new PaddedLong();

  /** The totals of a full window of fast successes. */
  private final long allGood;

  public CountSlidingWindow(int size) {
    this.size = size;
    this.allGood = (long) size * PackedCounts.of(false, false);
    this.spread = size <= MAX_PADDED_SIZE ? INTS_PER_CACHE_LINE : 1;
    this.slots = new AtomicIntegerArray(size * spread);
  }

  @Override
  public long record(boolean failure, boolean slow, long nowNanos) {
    if (!failure && !slow && totals.get() == allGood) {
      // Every slot holds a fast success: replacing one with another changes nothing, and which
      // slot the cursor points at does not matter while all slots are alike. Skipping keeps the
      // healthy path free of writes to shared memory, so threads do not contend at all.
      return UNCHANGED;
    }
    int outcome = PRESENT | (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    int index = (int) (cursor.getAndIncrement() % size) * spread;
    int previous = slots.getAndSet(index, outcome);
    if (previous == outcome) {
      return UNCHANGED;
    }
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

  @Override
  public boolean usesTime() {
    return false;
  }

  private static long packed(int slot) {
    if (slot == 0) {
      return 0;
    }
    return PackedCounts.of((slot & FAILURE) != 0, (slot & SLOW) != 0);
  }
}
