package io.orchestra.saga;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Undoes a completed step (a semantic undo: cancel the reservation, refund the payment). Same
 * failure, idempotency and thread-safety rules as {@link StepAction}; its result value is ignored.
 * It may be asked to undo a step whose effect never happened (after a timeout), and must then
 * succeed without doing anything.
 *
 * @param <D> the saga data type
 */
@FunctionalInterface
public interface Compensation<D> {

  /** Runs one attempt of the compensation. */
  CompletionStage<?> compensate(StepContext<D> context);

  /** A compensation from a synchronous consumer; it runs on the orchestrator's executor. */
  static <D> Compensation<D> of(Consumer<? super StepContext<D>> consumer) {
    return context -> {
      consumer.accept(context);
      return CompletableFuture.completedFuture(null);
    };
  }
}
