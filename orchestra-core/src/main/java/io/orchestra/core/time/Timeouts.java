package io.orchestra.core.time;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Deadlines and delays for asynchronous code, on an injected {@link Scheduler} so that they follow
 * virtual time in tests ({@link CompletableFuture#orTimeout} would use the machine's clock).
 */
public final class Timeouts {
  private Timeouts() {}

  /**
   * Returns a future that completes like {@code stage}, or exceptionally with the exception from
   * {@code onTimeout} if {@code stage} has not completed within {@code timeoutNanos}.
   */
  public static <T> CompletableFuture<T> within(
      CompletionStage<T> stage,
      long timeoutNanos,
      Scheduler scheduler,
      Supplier<? extends Throwable> onTimeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Scheduler.Cancellable timer =
        scheduler.schedule(() -> result.completeExceptionally(onTimeout.get()), timeoutNanos);
    stage.whenComplete(
        (value, error) -> {
          timer.cancel();
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        });
    return result;
  }

  /** Like {@link #within(CompletionStage, long, Scheduler, Supplier)} with a {@link TimeoutException}. */
  public static <T> CompletableFuture<T> within(
      CompletionStage<T> stage, long timeoutNanos, Scheduler scheduler) {
    return within(
        stage,
        timeoutNanos,
        scheduler,
        () -> new TimeoutException("timed out after " + timeoutNanos / 1_000_000 + " ms"));
  }

  /** A future that completes with {@code null} after {@code delayNanos}. */
  public static CompletableFuture<Void> delay(long delayNanos, Scheduler scheduler) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (delayNanos <= 0) {
      result.complete(null);
      return result;
    }
    scheduler.schedule(() -> result.complete(null), delayNanos);
    return result;
  }
}
