package io.orchestra.core.time;

import io.orchestra.core.internal.Checks;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. The port through which engines wait (timeouts, retry backoff,
 * periodic health checks) without ever sleeping a thread themselves.
 *
 * <p>Use {@link #of(ScheduledExecutorService)} in production and {@link VirtualTime} in tests,
 * where delays elapse only when the test advances the clock. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Schedules {@code task} to run once after {@code delayNanos} nanoseconds (zero or negative:
   * as soon as possible).
   *
   * @return a handle that cancels the task if it has not started yet
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Convenience overload of {@link #schedule(Runnable, long)}. */
  default Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    return schedule(task, unit.toNanos(delay));
  }

  /** A scheduler backed by a {@link ScheduledExecutorService} the application owns. */
  static Scheduler of(ScheduledExecutorService executor) {
    Checks.notNull("executor", executor);
    return (task, delayNanos) -> {
      ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }

  /**
   * A process-wide scheduler on one daemon thread, used when an engine is built without one. Tasks
   * given to it must be short; hand longer work to an executor.
   */
  static Scheduler systemDefault() {
    return SystemTime.DefaultScheduler.INSTANCE;
  }

  /** A handle to a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; returns whether it was cancelled by this call. */
    boolean cancel();
  }
}
