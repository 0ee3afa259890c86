package io.orchestra.saga.internal.jdbc;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a {@link GroupCommitWriter}'s writes end: completes each write's future on the callback
 * executor (or on the writer thread when the executor refuses), counted by the {@link
 * CallbackGate} so the writer can wait for those callbacks before its next batch, and keeps the
 * count of writes submitted and not yet completed.
 *
 * <p>Threads: {@link #submitted} runs on any caller's thread; {@link #succeed}, {@link #fail} and
 * {@link #awaitCallbacks} only on the writer thread; the completions themselves on the callback
 * executor. The counts are atomics; nothing here locks. Each write must be completed once (the
 * in-flight count is decremented per completion): {@link WriteOp#completed} tells the writer which
 * writes of a batch it failed half-way through are still open. Not public API.
 */
final class Completions {
  private final Executor callbacks;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CallbackGate callbackGate = new CallbackGate();

  Completions(Executor callbacks) {
    this.callbacks = callbacks;
  }

  /** Counts a write from its submission until it is completed. */
  void submitted() {
    inFlight.incrementAndGet();
  }

  /** Whether every submitted write has been completed. */
  boolean isIdle() {
    return inFlight.get() == 0;
  }

  /**
   * Waits, at most about {@code maxNanos}, until the completions handed to the callback executor
   * have run (so the writes they issue can join the next batch).
   */
  void awaitCallbacks(long maxNanos) {
    callbackGate.awaitQuiet(maxNanos);
  }

  void succeed(WriteOp op) {
    complete(op, null);
  }

  void fail(WriteOp op, Throwable t) {
    op.failed = true;
    complete(op, t);
  }

  /** Callbacks handed to the callback executor (or run) and not yet finished; for tests. */
  int callbacksRunning() {
    return callbackGate.running();
  }

  private void complete(WriteOp op, Throwable t) {
    CallbackGate.Counted r =
        callbackGate.counted(
            t == null ? () -> op.future.complete(null) : () -> op.future.completeExceptionally(t));
    try {
      callbacks.execute(r);
    } catch (RuntimeException e) {
      r.run(); // refused: complete it here (released once even if the executor ran it too)
    } catch (Error e) {
      // The callback may never run: stop counting it, or every later batch waits the full
      // commitWait for it. The Error goes on to the writer, as any other failure of a batch.
      r.abandon();
      throw e;
    }
    // Counted only once handed over: a write whose hand-over threw an Error (an executor that
    // cannot start a thread) is still open, and the writer's catch-all completes it.
    op.completed = true;
    inFlight.decrementAndGet();
  }
}
