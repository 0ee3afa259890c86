package io.orchestra.core.resilience.internal;

/**
 * Three 21-bit counters (calls, failures, slow calls) packed in one long, so that a window can
 * update and read all three with a single atomic operation and never observe them torn.
 */
public final class PackedCounts {
  static final int BITS = 21;
  static final long MASK = (1L << BITS) - 1;
  static final long ONE_CALL = 1L << (2 * BITS);
  static final long ONE_FAILURE = 1L << BITS;
  static final long ONE_SLOW = 1L;

  private PackedCounts() {}

  /** The packed delta of one call. */
  public static long of(boolean failure, boolean slow) {
    return ONE_CALL + (failure ? ONE_FAILURE : 0) + (slow ? ONE_SLOW : 0);
  }

  public static int calls(long packed) {
    return (int) ((packed >>> (2 * BITS)) & MASK);
  }

  public static int failures(long packed) {
    return (int) ((packed >>> BITS) & MASK);
  }

  public static int slow(long packed) {
    return (int) (packed & MASK);
  }

  /**
   * Whether the snapshot is consistent. A window slot can be overwritten before its first write
   * was added (a thread preempted for a whole window's worth of calls); the sum is then briefly
   * off and a field underflows into a value larger than any window. Such snapshots are skipped.
   */
  public static boolean plausible(long packed, int maxCalls) {
    int calls = calls(packed);
    return calls <= maxCalls && failures(packed) <= calls && slow(packed) <= calls;
  }
}
