package io.orchestra.saga.internal;

import io.orchestra.saga.journal.SagaEventType;

/** What an operator does with a dead-lettered step. Not public API. */
public enum OperatorAction {
  /** Run the dead-lettered steps again. */
  RETRY(SagaEventType.OPERATOR_RETRY),
  /** Give up on them. */
  SKIP(SagaEventType.OPERATOR_SKIPPED),
  /** They were handled by hand. */
  RESOLVE(SagaEventType.OPERATOR_RESOLVED);

  final SagaEventType event;

  OperatorAction(SagaEventType event) {
    this.event = event;
  }
}
