package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;
import io.orchestra.saga.SagaStatus;

/**
 * The journal's row for one saga: identity, status and ownership. Immutable.
 *
 * @param sagaId the saga
 * @param definitionName its definition
 * @param definitionVersion the definition version it started under
 * @param status the latest status
 * @param ownerNode the node holding the lease, or null when released
 * @param epoch the fencing epoch; every takeover increments it
 * @param leaseExpiresAtMillis when the lease ends, epoch milliseconds; 0 when released
 * @param lastSeq sequence number of the last event
 * @param createdAtMillis creation time
 * @param updatedAtMillis time of the last change
 */
public record SagaRecord(
    String sagaId,
    String definitionName,
    int definitionVersion,
    SagaStatus status,
    String ownerNode,
    long epoch,
    long leaseExpiresAtMillis,
    long lastSeq,
    long createdAtMillis,
    long updatedAtMillis) {

  /** Validates the required fields. */
  public SagaRecord {
    Checks.notBlank("record.sagaId", sagaId);
    Checks.notBlank("record.definitionName", definitionName);
    Checks.notNull("record.status", status);
  }

  /** {@code name@version}, as {@link io.orchestra.saga.SagaDefinition#key()}. */
  public String definitionKey() {
    return definitionName + "@" + definitionVersion;
  }
}
