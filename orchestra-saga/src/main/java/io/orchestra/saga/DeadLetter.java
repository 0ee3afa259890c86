package io.orchestra.saga;

import java.time.Instant;

/**
 * A step waiting for an operator: a compensation that still failed after its retries, or a
 * retry-only step that failed. Listed by {@link SagaOrchestrator#deadLetters(int)}; cleared by
 * {@code retry}, {@code skip} or {@code resolve}. Immutable.
 *
 * @param sagaId the saga
 * @param definitionName the saga's definition
 * @param definitionVersion its version
 * @param stepIndex the step's position
 * @param stepName the step
 * @param kind whether the compensation or the forward step failed
 * @param error the last error
 * @param since when the saga parked
 */
public record DeadLetter(
    String sagaId,
    String definitionName,
    int definitionVersion,
    int stepIndex,
    String stepName,
    Kind kind,
    String error,
    Instant since) {

  /** What failed. */
  public enum Kind {
    /** The compensation of a completed step. */
    COMPENSATION,
    /** A retry-only step (the pivot or after). */
    FORWARD
  }
}
