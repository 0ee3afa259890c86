package io.orchestra.saga;

import java.util.Locale;

/**
 * Where a saga stands. {@link #wireName()} gives the seed's lower-case spelling ({@code
 * not_found}, {@code compensation_failed}).
 */
public enum SagaStatus {
  /** No saga with the asked id exists (only ever returned by status queries). */
  NOT_FOUND,
  /** Forward steps are running (the seed's {@code started}). */
  RUNNING,
  /** A step failed; completed steps are being undone. */
  COMPENSATING,
  /** Every step completed. Final. */
  COMPLETED,
  /** A step failed and every completed step was undone (or skipped/resolved by an operator). Final. */
  COMPENSATED,
  /**
   * A compensation still failed after its retries; the failed compensations are in the dead-letter
   * list until an operator retries, skips or resolves them.
   */
  COMPENSATION_FAILED,
  /**
   * A failure that compensation cannot repair: a retry-only step (the pivot or after) failed, or
   * compensation is disabled. A failed retry-only step is in the dead-letter list.
   */
  FAILED;

  /** Lower-case name as in the seed. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a node is (or should be) driving the saga: {@link #RUNNING} or {@link #COMPENSATING}. */
  public boolean isActive() {
    return this == RUNNING || this == COMPENSATING;
  }

  /** Whether the saga waits for an operator: {@link #COMPENSATION_FAILED} or {@link #FAILED}. */
  public boolean isParked() {
    return this == COMPENSATION_FAILED || this == FAILED;
  }

  /** Whether nothing will ever change again: {@link #COMPLETED} or {@link #COMPENSATED}. */
  public boolean isFinal() {
    return this == COMPLETED || this == COMPENSATED;
  }
}
