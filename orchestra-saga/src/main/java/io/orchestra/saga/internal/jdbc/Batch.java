package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import io.orchestra.saga.journal.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of one group commit, in the dialect's fastest form: plain JDBC batches (any
 * database) or, on PostgreSQL, one statement per table over {@code unnest} of arrays. All run in
 * the caller's transaction. Not public API.
 */
interface Batch {

  /**
   * The row update of all writes of one saga at one epoch in a batch.
   *
   * @param sagaId the saga
   * @param epoch the writer's epoch
   * @param status the last status set, or null
   * @param lastSeq the highest sequence number written (0 when none)
   * @param updatedAt the latest event time (0 when none)
   * @param releaseOwner clear the owner (the saga ended or parked)
   * @param releaseLease end the lease
   */
  record Fence(
      String sagaId,
      long epoch,
      SagaStatus status,
      long lastSeq,
      long updatedAt,
      boolean releaseOwner,
      boolean releaseLease) {}

  /**
   * A whole group commit for {@link #writeAtOnce}: new sagas with their first events, and per
   * fenced row update its events and (or null) its snapshot, in matching order.
   */
  record AtOnce(
      List<SagaRecord> records,
      List<SagaEvent> createEvents,
      List<Fence> fences,
      List<List<SagaEvent>> fencedEvents,
      List<SagaSnapshot> fencedSnapshots) {}

  /**
   * Runs first in each of a writer's transactions (auto-commit is off): settings for the
   * journal's statements, scoped to the transaction so that nothing outlives it on the
   * connection (which may be pooled, or shared through a transaction-pooling proxy).
   */
  default void beginTransaction(Connection c) throws SQLException {}

  /** Whether {@link #writeAtOnce} is supported. */
  default boolean writesAtOnce() {
    return false;
  }

  /**
   * Writes a whole group commit as one statement in the caller's transaction: the rows, the
   * fenced updates, and the events and snapshots of the updates that matched. Only for a batch
   * with no pruning and no append to a saga created in the same batch (one statement does not see
   * its own inserts).
   *
   * @return the fences that matched
   */
  default Set<Fence> writeAtOnce(Connection c, AtOnce write) throws SQLException {
    throw new UnsupportedOperationException("not supported by " + getClass().getSimpleName());
  }

  void insertSagas(Connection c, List<SagaRecord> records) throws SQLException;

  /** Applies the updates where the epoch still matches; returns the ones that matched. */
  Set<Fence> fence(Connection c, Collection<Fence> fences) throws SQLException;

  void insertEvents(Connection c, List<SagaEvent> events) throws SQLException;

  void replaceSnapshots(Connection c, Collection<SagaSnapshot> snapshots) throws SQLException;

  void prune(Connection c, Map<String, Long> upToSeq) throws SQLException;

  static Batch of(SqlDialect dialect) {
    return dialect == SqlDialect.POSTGRESQL ? new PostgresBatch() : new StandardBatch();
  }
}
