package io.orchestra.saga;

/** Where one forward step of a saga stands. */
public enum StepStatus {
  /** Not started yet. */
  PENDING,
  /** Started, no result recorded yet (after a crash it is run again with the same idempotency key). */
  STARTED,
  /** Completed; its output is part of the saga data. */
  COMPLETED,
  /** Failed after its retries. */
  FAILED,
  /** A failed retry-only step an operator chose to skip. */
  SKIPPED,
  /** A failed retry-only step an operator marked as done by hand. */
  RESOLVED;

  /** Whether the saga may move past this step. */
  public boolean isDone() {
    return this == COMPLETED || this == SKIPPED || this == RESOLVED;
  }
}
