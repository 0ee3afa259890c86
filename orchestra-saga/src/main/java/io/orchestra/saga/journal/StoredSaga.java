package io.orchestra.saga.journal;

import java.util.List;

/**
 * What a journal returns for one saga: its row, the latest snapshot and the events after it.
 * Immutable.
 *
 * @param record the saga row
 * @param snapshot the latest snapshot, or null
 * @param events the events after the snapshot (all events when there is none), in order
 */
public record StoredSaga(SagaRecord record, SagaSnapshot snapshot, List<SagaEvent> events) {

  /** Copies the events. */
  public StoredSaga {
    events = List.copyOf(events);
  }
}
