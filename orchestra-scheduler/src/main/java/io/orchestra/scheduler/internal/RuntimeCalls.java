package io.orchestra.scheduler.internal;

import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Timeouts;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The guard around every call to the {@code ContainerRuntime} port: a throw or a null stage
 * becomes a failed stage, and a stage that has not answered yet gets a deadline on the delay
 * scheduler. An answer that is already there needs no timer.
 *
 * <p>Thread-safe and stateless: the timeouts are the {@link Scheduler}'s tasks, and the failed
 * stage completes on its thread.
 */
public final class RuntimeCalls {
  private final Scheduler timers;

  /** Runtime calls whose deadlines run on {@code timers}. */
  public RuntimeCalls(Scheduler timers) {
    this.timers = timers;
  }

  /**
   * Calls the runtime, turning a throw or a null stage into a failed one, with a timeout. The
   * description ({@code action + containerId}) is only put together when a message needs it.
   */
  public CompletableFuture<Void> call(
      Supplier<CompletionStage<Void>> call, long timeoutNanos, String action, String containerId) {
    CompletionStage<Void> stage;
    try {
      stage = call.get();
      if (stage == null) {
        stage = CompletableFuture.failedFuture(new NullPointerException("runtime returned null for " + action + containerId));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> f = stage.toCompletableFuture();
    if (f.isDone()) {
      return f; // no timer needed for an answer that is already there
    }
    return Timeouts.within(
        f,
        timeoutNanos,
        timers,
        () -> new TimeoutException(action + containerId + " timed out after " + Duration.ofNanos(timeoutNanos)));
  }
}
