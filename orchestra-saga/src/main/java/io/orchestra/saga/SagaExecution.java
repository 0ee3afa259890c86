package io.orchestra.saga;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A handle to a saga started by {@link SagaOrchestrator#execute}: its id at once, its result when
 * it ends. Thread-safe.
 *
 * <p>The result completes normally with every business outcome (completed, compensated,
 * compensation failed, failed). It completes exceptionally only when this node stops driving the
 * saga: {@link SagaLeaseLostException} (another node took over), {@link SagaJournalException} (the
 * journal failed permanently; recovery resumes the saga from its last durable state) or {@link
 * SagaException} when the orchestrator is closed. In those cases the saga is not lost.
 *
 * @param <D> the saga data type
 */
public final class SagaExecution<D> {
  private final String sagaId;
  private final CompletableFuture<SagaResult<D>> result;

  /** A handle for {@code sagaId}; created by the orchestrator. */
  public SagaExecution(String sagaId, CompletableFuture<SagaResult<D>> result) {
    this.sagaId = sagaId;
    this.result = result;
  }

  /** The saga id. */
  public String sagaId() {
    return sagaId;
  }

  /** The outcome, when the saga ends (or parks) on this node. */
  public CompletionStage<SagaResult<D>> result() {
    return result.minimalCompletionStage();
  }

  /** Waits for the outcome; for tests and simple programs. */
  public SagaResult<D> join() {
    return result.join();
  }

  @Override
  public String toString() {
    return "SagaExecution[" + sagaId + (result.isDone() ? ", done" : "") + "]";
  }
}
