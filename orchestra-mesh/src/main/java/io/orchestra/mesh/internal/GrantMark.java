package io.orchestra.mesh.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest ticker reading at which a shared bucket granted a permit. A key (or destination)
 * that moves from a shared bucket to one of its own may have spent the shared one; whether the
 * last shared grant is within one refill time tells whether its own bucket must start empty to be
 * never looser. Thread-safe.
 */
final class GrantMark {
  private volatile boolean any;
  private final AtomicLong latest = new AtomicLong();

  /** Records a grant at {@code at} (a reading not earlier than the one the grant was made at). */
  void note(long at) {
    if (!any) {
      synchronized (this) { // the first grant only: there is no earlier reading to compare with
        if (!any) {
          latest.set(at);
          any = true;
          return;
        }
      }
    }
    long seen;
    while (at - (seen = latest.get()) > 0 && !latest.compareAndSet(seen, at)) {
      // lost to another grant's note: compare with the newer reading
    }
  }

  /** Whether a grant was noted less than {@code windowNanos} before {@code now}. */
  boolean within(long now, long windowNanos) {
    return any && now - latest.get() < windowNanos;
  }
}
