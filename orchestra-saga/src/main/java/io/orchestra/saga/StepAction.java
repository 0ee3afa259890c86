package io.orchestra.saga;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The forward action of a step: does the work and yields the new saga data. It may return an
 * already completed stage (synchronous work) or one that completes later (asynchronous work).
 * Throwing, or completing exceptionally, fails the attempt; {@link NonRetriableStepException}
 * fails the step at once. Yielding {@code null} keeps the data unchanged.
 *
 * <p>Implementations must be safe to call again with the same {@link StepContext#idempotencyKey()}:
 * after a timeout or a crash the orchestrator cannot know whether an attempt took effect. They are
 * called on the orchestrator's executor, concurrently for different sagas, so they must be
 * thread-safe.
 *
 * @param <D> the saga data type
 */
@FunctionalInterface
public interface StepAction<D> {

  /** Runs one attempt. */
  CompletionStage<D> execute(StepContext<D> context);

  /** An action from a synchronous function; it runs on the orchestrator's executor. */
  static <D> StepAction<D> of(Function<? super StepContext<D>, ? extends D> function) {
    return context -> CompletableFuture.completedFuture(function.apply(context));
  }
}
