package io.orchestra.core.resilience.internal;

/** Outcome statistics over a sliding window; lock-free and allocation-free per record. */
public interface SlidingWindow {

  /**
   * Records one call and returns the window's counts after it, packed ({@link PackedCounts}), or
   * a negative value when the counts did not change (nothing new to judge).
   */
  long record(boolean failure, boolean slow, long nowNanos);

  /** The window's current counts, packed. */
  long snapshot(long nowNanos);

  /** Largest number of calls the window can hold (for plausibility checks). */
  int capacity();

  /** Whether {@link #record} and {@link #snapshot} use their time argument (reading a clock costs). */
  boolean usesTime();
}
