package io.orchestra.saga;

/** Where the compensation of one step stands. */
public enum CompensationStatus {
  /** No compensation was started for the step. */
  NONE,
  /** Waiting to run again after an operator's retry. */
  PENDING,
  /** Started, no result recorded yet. */
  STARTED,
  /** Undone. */
  COMPENSATED,
  /** Still failing after its retries: in the dead-letter list. */
  FAILED,
  /** An operator chose not to undo the step. */
  SKIPPED,
  /** An operator undid the step by hand. */
  RESOLVED;

  /** Whether nothing more will be done for this step. */
  public boolean isSettled() {
    return this == COMPENSATED || this == SKIPPED || this == RESOLVED;
  }
}
