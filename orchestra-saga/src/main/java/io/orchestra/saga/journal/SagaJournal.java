package io.orchestra.saga.journal;

import io.orchestra.saga.SagaStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The port where sagas are made durable: an append-only event log per saga, the latest snapshot,
 * and a row with status and lease. Three implementations ship: {@link InMemorySagaJournal} (tests),
 * {@link JdbcSagaJournal} on PostgreSQL (production, several nodes) and {@link
 * EmbeddedSagaJournal} (H2 in a local file, one node, no server).
 *
 * <p>Writes are asynchronous so that an implementation may commit many sagas' writes together
 * (group commit); a write's stage completes once it is durable. Writes of one saga are applied in
 * the order they were issued. Reads and lease operations block.
 *
 * <p>Fencing: each saga row carries an epoch; {@link #claimExpired} and {@link #acquire} increment
 * it, and {@link #append} fails with {@link io.orchestra.saga.SagaLeaseLostException} when the
 * writer's epoch is no longer the saga's.
 *
 * <p>Implementations must be thread-safe. A transient outage (the database restarting) must be
 * waited out: pending writes stay pending and are retried, never half-applied.
 */
public interface SagaJournal extends AutoCloseable {

  /**
   * Stores a new saga row with its first events, atomically. Fails with {@link
   * io.orchestra.saga.SagaAlreadyExistsException} when the id exists.
   */
  CompletionStage<Void> create(SagaRecord record, List<SagaEvent> events);

  /** Appends one fenced write; see {@link SagaAppend}. */
  CompletionStage<Void> append(SagaAppend append);

  /** The saga's row, latest snapshot and the events after it; empty when unknown. */
  Optional<StoredSaga> load(String sagaId);

  /** Every event still stored for the saga, in order (all of them unless event sourcing is off). */
  List<SagaEvent> history(String sagaId);

  /**
   * Takes over up to {@code limit} active sagas whose lease expired before {@code nowMillis} (and,
   * when {@code includeOwn}, those still leased to {@code nodeId} itself, for a node restarting
   * under the same id) and whose definition key is in {@code definitionKeys}: each gets owner
   * {@code nodeId}, a lease until {@code leaseUntilMillis} and epoch + 1. Sagas locked by a
   * concurrent claim are skipped, never claimed twice.
   *
   * @return the claimed rows, after the update
   */
  List<SagaRecord> claimExpired(
      String nodeId,
      Collection<String> definitionKeys,
      long nowMillis,
      long leaseUntilMillis,
      int limit,
      boolean includeOwn);

  /**
   * Takes the lease of one saga (for an operator action) if it is released, expired or already
   * {@code nodeId}'s: owner {@code nodeId}, lease until {@code leaseUntilMillis}, epoch + 1.
   *
   * @return the row after the update, or empty when the saga is unknown or leased to another node
   */
  Optional<SagaRecord> acquire(String sagaId, String nodeId, long nowMillis, long leaseUntilMillis);

  /**
   * Extends the given leases to {@code leaseUntilMillis} where the saga still has that epoch.
   *
   * @return the ids whose lease was not extended (taken over or finished)
   */
  Set<String> renewLeases(Collection<LeaseRef> leases, long leaseUntilMillis);

  /** Rows with one of {@code statuses}, oldest update first, at most {@code limit}. */
  List<SagaRecord> find(Set<SagaStatus> statuses, int limit);

  /** Stops background work after pending writes are done (or failed); idempotent. */
  @Override
  void close();
}
