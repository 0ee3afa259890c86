package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;

/**
 * The whole state of a saga after event {@code seq}, as JSON. Rebuilding applies the events after
 * {@code seq} to it. Immutable.
 *
 * @param sagaId the saga
 * @param seq the last event it covers
 * @param state the state as JSON (an internal format, read only by the orchestrator)
 * @param createdAtMillis when it was taken
 */
public record SagaSnapshot(String sagaId, long seq, String state, long createdAtMillis) {

  /** Validates the fields. */
  public SagaSnapshot {
    Checks.notNull("snapshot.sagaId", sagaId);
    Checks.positive("snapshot.seq", seq);
    Checks.notNull("snapshot.state", state);
  }
}
