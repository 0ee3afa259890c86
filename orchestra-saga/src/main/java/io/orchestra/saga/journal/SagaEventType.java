package io.orchestra.saga.journal;

/** Every kind of state change a saga journal records. */
public enum SagaEventType {
  /** The saga began; {@code data} is the initial data, {@code detail} a JSON header. */
  SAGA_STARTED,
  /** A forward step began (its first attempt in this run, {@code attempt}). */
  STEP_STARTED,
  /** Attempt {@code attempt} of a forward step failed ({@code outcome}, {@code detail}); a retry follows. */
  STEP_ATTEMPT_FAILED,
  /** A forward step completed; {@code data} is the saga data after it. */
  STEP_COMPLETED,
  /** A forward step failed for good ({@code outcome}, {@code detail}). */
  STEP_FAILED,
  /** The saga began compensating; {@code step} is the failed step or -1, {@code detail} why. */
  COMPENSATION_STARTED,
  /** The compensation of a step began. */
  STEP_COMPENSATION_STARTED,
  /** Attempt {@code attempt} of a compensation failed; a retry follows. */
  STEP_COMPENSATION_ATTEMPT_FAILED,
  /** A step was undone. */
  STEP_COMPENSATED,
  /** A compensation failed for good: the step goes to the dead-letter list. */
  STEP_COMPENSATION_FAILED,
  /** Every step completed; {@code data} is the final data. */
  SAGA_COMPLETED,
  /** Every step that needed it was undone. */
  SAGA_COMPENSATED,
  /** Compensation ended with failed compensations in the dead-letter list. */
  SAGA_COMPENSATION_FAILED,
  /** The saga failed without compensation; {@code step} is the dead-lettered step or -1. */
  SAGA_FAILED,
  /** A node took the saga over; {@code detail} is the node, {@code attempt} the new epoch. */
  SAGA_RECOVERED,
  /** An operator asked to retry the dead-lettered {@code step}. */
  OPERATOR_RETRY,
  /** An operator chose to skip the dead-lettered {@code step}. */
  OPERATOR_SKIPPED,
  /** An operator marked the dead-lettered {@code step} as done by hand. */
  OPERATOR_RESOLVED
}
