package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;
import io.orchestra.saga.SagaStatus;
import java.util.List;

/**
 * One atomic write for one saga: events, optionally a new status and a snapshot, fenced by the
 * writer's epoch. Either all of it is stored or none. Immutable.
 *
 * @param sagaId the saga
 * @param epoch the writer's fencing epoch; the journal refuses the write when the saga's epoch is
 *     different (it was taken over)
 * @param events events in sequence order (may be empty, for example to release a lease)
 * @param status the new status, or null when unchanged. A status that is not {@link
 *     SagaStatus#isActive() active} releases the lease.
 * @param snapshot a snapshot to store (replacing the previous one), or null
 * @param pruneToSnapshot drop the events the snapshot covers (when event sourcing is off)
 * @param releaseLease end the lease at once (lease time 0), so another node may claim the saga
 */
public record SagaAppend(
    String sagaId,
    long epoch,
    List<SagaEvent> events,
    SagaStatus status,
    SagaSnapshot snapshot,
    boolean pruneToSnapshot,
    boolean releaseLease) {

  /** Validates the fields. */
  public SagaAppend {
    Checks.notNull("append.sagaId", sagaId);
    Checks.noNulls("append.events", events);
    Checks.argument(
        !pruneToSnapshot || snapshot != null, "append.pruneToSnapshot needs a snapshot");
  }

  /** The sequence number of the last event, or 0 when there are none. */
  public long lastSeq() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
  }

  /** The timestamp of the last event, or 0. */
  public long lastTimestamp() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).timestampMillis();
  }
}
