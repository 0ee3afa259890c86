package io.orchestra.saga;

import java.util.List;

/**
 * How a saga ended on this node: {@link SagaStatus#COMPLETED}, {@link SagaStatus#COMPENSATED},
 * {@link SagaStatus#COMPENSATION_FAILED} or {@link SagaStatus#FAILED}. Immutable.
 *
 * @param sagaId the saga id
 * @param status the final (or parked) status
 * @param data the saga data at the end
 * @param failedStep the name of the step whose failure stopped the saga, or null
 * @param error what went wrong, or null
 * @param deadLetters names of the steps waiting for an operator (compensations that failed, or a
 *     failed retry-only step); empty otherwise
 * @param <D> the saga data type
 */
public record SagaResult<D>(
    String sagaId,
    SagaStatus status,
    D data,
    String failedStep,
    String error,
    List<String> deadLetters) {

  /** Copies the dead-letter list. */
  public SagaResult {
    deadLetters = List.copyOf(deadLetters);
  }

  /** Whether every step completed. */
  public boolean isCompleted() {
    return status == SagaStatus.COMPLETED;
  }
}
