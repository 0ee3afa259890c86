package io.orchestra.observability.internal;

import java.util.function.Consumer;

/**
 * The windows of one aggregation level of one series, in a ring indexed by window number, so a
 * new window silently replaces the one {@code capacity} windows older: memory is fixed and the
 * oldest data expires by construction. Not thread-safe: the owning series guards it.
 */
final class LevelRing {
  final long levelMillis;
  private final RollupWindow[] slots;
  private long newestStart = Long.MIN_VALUE;

  LevelRing(long levelMillis, int capacity) {
    this.levelMillis = levelMillis;
    this.slots = new RollupWindow[capacity];
  }

  /** The window containing {@code epochMillis}, created when needed; null when it has expired. */
  RollupWindow windowFor(long epochMillis) {
    long start = Math.floorDiv(epochMillis, levelMillis) * levelMillis;
    if (newestStart != Long.MIN_VALUE && start <= newestStart - (long) slots.length * levelMillis) {
      return null;
    }
    int slot = (int) Math.floorMod(Math.floorDiv(epochMillis, levelMillis), (long) slots.length);
    RollupWindow w = slots[slot];
    if (w == null) {
      w = new RollupWindow(start);
      slots[slot] = w;
    } else if (w.start != start) {
      if (w.start > start) {
        return null;
      }
      w.reset(start);
    }
    if (start > newestStart) {
      if (newestStart != Long.MIN_VALUE) {
        RollupWindow previous = slots[(int) Math.floorMod(Math.floorDiv(newestStart, levelMillis), (long) slots.length)];
        if (previous != null && previous.start == newestStart) {
          previous.seal();
        }
      }
      newestStart = start;
    }
    return w;
  }

  /** Seals {@code w} unless it is the newest window (late data into an old window). */
  void sealIfOld(RollupWindow w) {
    if (w.start < newestStart) {
      w.seal();
    }
  }

  /** Visits the windows overlapping {@code [from, to)} and not before {@code notBefore}, oldest first. */
  void forEach(long from, long to, long notBefore, Consumer<RollupWindow> visitor) {
    if (newestStart == Long.MIN_VALUE) {
      return;
    }
    long first = Math.max(Math.floorDiv(from, levelMillis), newestStart / levelMillis - slots.length + 1);
    long last = Math.min(Math.floorDiv(to - 1, levelMillis), Math.floorDiv(newestStart, levelMillis));
    for (long n = first; n <= last; n++) {
      RollupWindow w = slots[(int) Math.floorMod(n, (long) slots.length)];
      if (w != null && w.start == n * levelMillis && w.start + levelMillis > notBefore && w.count > 0) {
        visitor.accept(w);
      }
    }
  }

  /** Start of the newest window, or Long.MIN_VALUE when empty. */
  long newestStart() {
    return newestStart;
  }
}
