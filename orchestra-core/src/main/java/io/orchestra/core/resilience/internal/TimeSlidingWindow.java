package io.orchestra.core.resilience.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls of the last {@code seconds} seconds, in one bucket per second. Recording touches one
 * bucket with atomic adds; a bucket from an older second is cleared under its own monitor, which
 * happens at most once per bucket per second. Reading sums the live buckets, so its cost grows
 * with the window length (one pass over {@code seconds} buckets).
 *
 * <p>A call recorded by a thread that was preempted across a second boundary may land in a later
 * second's bucket (it is never lost and never clears newer calls); counts are otherwise exact.
 */
public final class TimeSlidingWindow implements SlidingWindow {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int seconds;
  private final Bucket[] buckets;

  public TimeSlidingWindow(int seconds) {
    this.seconds = seconds;
    this.buckets = new Bucket[seconds];
    for (int i = 0; i < seconds; i++) {
      buckets[i] = new Bucket();
    }
  }

  @Override
  public long record(boolean failure, boolean slow, long nowNanos) {
    long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    Bucket bucket = buckets[(int) Math.floorMod(second, (long) seconds)];
    // Only ever move a bucket forward: a thread whose clock reading is older than the bucket's
    // (it read the ticker, then was preempted) counts its call in the newer second rather than
    // clearing the calls other threads already recorded there.
    if (bucket.second < second) {
      synchronized (bucket) {
        if (bucket.second < second) {
          bucket.calls.set(0);
          bucket.failures.set(0);
          bucket.slow.set(0);
          bucket.second = second; // volatile write after the reset publishes it
        }
      }
    }
    bucket.calls.incrementAndGet();
    if (failure) {
      bucket.failures.incrementAndGet();
    }
    if (slow) {
      bucket.slow.incrementAndGet();
    }
    return snapshot(nowNanos);
  }

  @Override
  public long snapshot(long nowNanos) {
    long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    long calls = 0;
    long failures = 0;
    long slow = 0;
    for (Bucket b : buckets) {
      long s = b.second;
      if (s > second - seconds && s <= second) {
        calls += b.calls.get();
        failures += b.failures.get();
        slow += b.slow.get();
      }
    }
    // Clamp into the packed representation; rates stay right when scaled together.
    long max = PackedCounts.MASK >> 1;
    if (calls > max) {
      failures = failures * max / calls;
      slow = slow * max / calls;
      calls = max;
    }
    return (calls << (2 * PackedCounts.BITS)) | (Math.min(failures, calls) << PackedCounts.BITS) | Math.min(slow, calls);
  }

  @Override
  public int capacity() {
    return (int) (PackedCounts.MASK >> 1);
  }

  private static final class Bucket {
    volatile long second = Long.MIN_VALUE;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong slow = new AtomicLong();
  }

  @Override
  public boolean usesTime() {
    return true;
  }
}
