package io.orchestra.saga.internal.jdbc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the write completions of a writer that are still running on the callback executor, so
 * the writer can wait for them before it takes its next batch. Those callbacks are what issue
 * the sagas' next writes (the next step runs where the commit completes); a writer that took its
 * next batch at once would take only the writes queued so far, and the sagas whose callbacks ran
 * a moment later would wait a whole commit more: the sagas split into cohorts that alternate
 * between commits, each commit carrying half of them. The wait is bounded, and ends the moment
 * the last callback returns. Thread-safe; one waiter (the writer thread). Not public API.
 */
final class CallbackGate {
  private static final int SLICES = 8;

  private final AtomicInteger running = new AtomicInteger();
  private volatile Thread waiter;

  /** Wraps {@code callback} so the gate counts it from now until it has run or is abandoned. */
  Counted counted(Runnable callback) {
    running.incrementAndGet();
    return new Counted(callback);
  }

  private void release() {
    if (running.decrementAndGet() == 0) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Callbacks counted and not yet finished. */
  int running() {
    return running.get();
  }

  /**
   * Returns once no counted callback is running, or after about {@code maxNanos} (parked in
   * slices, so no clock is read; an early wake only shortens the wait).
   */
  void awaitQuiet(long maxNanos) {
    if (maxNanos <= 0 || running.get() == 0) {
      return;
    }
    waiter = Thread.currentThread();
    try {
      for (int i = 0; i < SLICES && running.get() > 0; i++) {
        LockSupport.parkNanos(this, maxNanos / SLICES);
      }
    } finally {
      waiter = null;
    }
  }

  /**
   * A counted callback. Its count is released exactly once: when it first finishes running, or
   * when the hand-over that was to run it fails ({@link #abandon}), whichever comes first. Once
   * alone is not enough: an executor may run or queue the task and still throw (a {@code
   * ThreadPoolExecutor} queues it, then fails to start a worker with an {@code OutOfMemoryError}),
   * and the writer then also runs it itself or the task runs later; a second release would drive
   * the count below zero, and the gate would stop waiting for callbacks that are still running.
   */
  final class Counted implements Runnable {
    private static final AtomicIntegerFieldUpdater<Counted> RELEASED =
        AtomicIntegerFieldUpdater.newUpdater(Counted.class, "released");

    private final Runnable callback;
    private volatile int released; // 0, then 1 once the count is released

    private Counted(Runnable callback) {
      this.callback = callback;
    }

    @Override
    public void run() {
      try {
        callback.run();
      } finally {
        abandon();
      }
    }

    /**
     * Stops counting this callback (it still runs if it is run later). For a hand-over that threw
     * an {@link Error}: the callback may never run, and a count it never releases would hold every
     * later wait for its full bound.
     */
    void abandon() {
      if (RELEASED.compareAndSet(this, 0, 1)) {
        release();
      }
    }
  }
}
