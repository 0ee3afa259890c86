package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;

/**
 * One appended state change of one saga. Immutable. Sequence numbers start at 1 and increase by
 * one per event of a saga; the journal stores them under {@code (sagaId, seq)}.
 *
 * @param sagaId the saga
 * @param seq the sequence number
 * @param type what happened
 * @param timestampMillis when, in epoch milliseconds of the writing node's clock
 * @param step the step index, or -1
 * @param attempt the attempt number (or another small number, see {@link SagaEventType}), or 0
 * @param outcome a {@link io.orchestra.core.transport.CallOutcome} name for failures, or null
 * @param data saga data as JSON, or null
 * @param detail an error message, a note or a JSON header, or null
 */
public record SagaEvent(
    String sagaId,
    long seq,
    SagaEventType type,
    long timestampMillis,
    int step,
    int attempt,
    String outcome,
    String data,
    String detail) {

  /** Validates the required fields. */
  public SagaEvent {
    Checks.notNull("event.sagaId", sagaId);
    Checks.positive("event.seq", seq);
    Checks.notNull("event.type", type);
  }

  @Override
  public String toString() {
    return "SagaEvent[" + sagaId + "#" + seq + " " + type + (step >= 0 ? " step=" + step : "")
        + (outcome != null ? " " + outcome : "") + (detail != null ? " " + detail : "") + "]";
  }
}
