package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.LeaseRef;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import io.orchestra.saga.journal.SqlDialect;
import io.orchestra.saga.journal.StoredSaga;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Reads and lease operations on one control connection (separate from the writer's), one at a
 * time. A failure on a broken connection is retried once on a fresh connection, then reported as
 * {@link SagaJournalException}. Thread-safe. Not public API.
 */
public final class JdbcReader implements AutoCloseable {
  /**
   * The number H2 2.x's driver takes for its SNAPSHOT level: java.sql has no constant for it, and
   * H2 is only a runtime dependency.
   */
  static final int H2_SNAPSHOT = 6;

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * The isolation level under which a read of several statements sees one committed state. On
   * PostgreSQL that is REPEATABLE READ: one snapshot for the whole transaction. H2 2.x (MVStore)
   * fixes the snapshot of each table only when the transaction first reads that table, so under
   * REPEATABLE READ a {@link #load} could take the saga row from before a group commit and its
   * snapshot or events from after it (EmbeddedLoadSnapshotTest counted 54 to 68 such loads in each
   * run of 20 000 to 34 000; READ COMMITTED about as many). H2's SNAPSHOT level takes the snapshot of
   * every table at the transaction's first statement, and the same test counts none. The reader's
   * snapshot transactions only read, so SNAPSHOT's refusal of conflicting updates never applies.
   */
  private final int snapshotIsolation;

  private Connection connection;

  /** A reader over {@code dataSource}. */
  public JdbcReader(DataSource dataSource, SqlDialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.snapshotIsolation =
        dialect == SqlDialect.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(String what, boolean snapshot, Work<T> work) {
    return withConnection(what, snapshot, false, work);
  }

  /**
   * Runs {@code work} in one transaction, or statement by statement when {@code autoCommit} (lease
   * renewals: each row on its own, so they never hold one row while waiting for another). With
   * {@code snapshot} all its statements see one committed state ({@link #snapshotIsolation});
   * otherwise each statement sees what was committed when it began.
   */
  private <T> T withConnection(String what, boolean snapshot, boolean autoCommit, Work<T> work) {
    lock.lock();
    try {
      SQLException last = null;
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          if (connection == null) {
            connection = dataSource.getConnection();
          }
          Connection c = connection;
          c.setAutoCommit(autoCommit);
          c.setTransactionIsolation(snapshot ? snapshotIsolation : Connection.TRANSACTION_READ_COMMITTED);
          T result = work.run(c);
          if (!autoCommit) {
            c.commit();
          }
          return result;
        } catch (SQLException e) {
          last = e;
          rollbackQuietly();
          if (!SqlErrors.isTransient(e, connection)) {
            break;
          }
          closeQuietly();
        }
      }
      throw new SagaJournalException("saga journal " + what + " failed: " + last.getMessage(), last);
    } finally {
      lock.unlock();
    }
  }

  /** The row, latest snapshot and events after it, read in one consistent snapshot. */
  public Optional<StoredSaga> load(String sagaId) {
    return withConnection(
        "load of " + sagaId,
        true,
        c -> {
          SagaRecord record = null;
          try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_SAGA)) {
            ps.setString(1, sagaId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                record = Sql.record(rs);
              }
            }
          }
          if (record == null) {
            return Optional.empty();
          }
          SagaSnapshot snapshot = null;
          try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_SNAPSHOT)) {
            ps.setString(1, sagaId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                snapshot = new SagaSnapshot(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4));
              }
            }
          }
          List<SagaEvent> events = events(c, sagaId, snapshot == null ? 0 : snapshot.seq());
          return Optional.of(new StoredSaga(record, snapshot, events));
        });
  }

  /** Every stored event of the saga. */
  public List<SagaEvent> history(String sagaId) {
    return withConnection("history of " + sagaId, true, c -> events(c, sagaId, 0));
  }

  private static List<SagaEvent> events(Connection c, String sagaId, long after) throws SQLException {
    List<SagaEvent> events = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_EVENTS)) {
      ps.setString(1, sagaId);
      ps.setLong(2, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events.add(Sql.event(rs));
        }
      }
    }
    return events;
  }

  /** See {@link io.orchestra.saga.journal.SagaJournal#claimExpired}. */
  public List<SagaRecord> claimExpired(
      String nodeId,
      Collection<String> definitionKeys,
      long nowMillis,
      long leaseUntilMillis,
      int limit,
      boolean includeOwn) {
    if (definitionKeys.isEmpty()) {
      return List.of();
    }
    String sql = Sql.claim(definitionKeys.size(), includeOwn, dialect);
    return withConnection(
        "claim",
        false,
        c -> {
          List<SagaRecord> found = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String key : definitionKeys) {
              ps.setString(i++, key);
            }
            ps.setLong(i++, nowMillis);
            if (includeOwn) {
              ps.setString(i++, nodeId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.add(Sql.record(rs));
              }
            }
          }
          List<SagaRecord> claimed = new ArrayList<>(found.size());
          if (!found.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(Sql.TAKE_LEASE)) {
              for (SagaRecord r : found) {
                SagaRecord next = leased(r, nodeId, r.epoch() + 1, leaseUntilMillis);
                ps.setString(1, nodeId);
                ps.setLong(2, next.epoch());
                ps.setLong(3, leaseUntilMillis);
                ps.setString(4, r.sagaId());
                ps.addBatch();
                claimed.add(next);
              }
              ps.executeBatch();
            }
          }
          return claimed;
        });
  }

  /** See {@link io.orchestra.saga.journal.SagaJournal#acquire}. */
  public Optional<SagaRecord> acquire(String sagaId, String nodeId, long nowMillis, long leaseUntilMillis) {
    return withConnection(
        "lease of " + sagaId,
        false,
        c -> {
          SagaRecord r = null;
          try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_SAGA + " FOR UPDATE")) {
            ps.setString(1, sagaId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                r = Sql.record(rs);
              }
            }
          }
          if (r == null
              || !(r.ownerNode() == null
                  || r.leaseExpiresAtMillis() < nowMillis
                  || r.ownerNode().equals(nodeId))) {
            return Optional.empty();
          }
          SagaRecord next = leased(r, nodeId, r.epoch() + 1, leaseUntilMillis);
          try (PreparedStatement ps = c.prepareStatement(Sql.TAKE_LEASE)) {
            ps.setString(1, nodeId);
            ps.setLong(2, next.epoch());
            ps.setLong(3, leaseUntilMillis);
            ps.setString(4, sagaId);
            ps.executeUpdate();
          }
          return Optional.of(next);
        });
  }

  /** See {@link io.orchestra.saga.journal.SagaJournal#renewLeases}. */
  public Set<String> renewLeases(Collection<LeaseRef> leases, long leaseUntilMillis) {
    List<LeaseRef> list = List.copyOf(leases);
    return withConnection(
        "lease renewal",
        false,
        true,
        c -> {
          Set<String> lost = new HashSet<>();
          try (PreparedStatement ps = c.prepareStatement(Sql.RENEW)) {
            for (LeaseRef ref : list) {
              ps.setLong(1, leaseUntilMillis);
              ps.setString(2, ref.sagaId());
              ps.setLong(3, ref.epoch());
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
              if (counts[i] == 0) {
                lost.add(list.get(i).sagaId());
              }
            }
          }
          return lost;
        });
  }

  /** See {@link io.orchestra.saga.journal.SagaJournal#find}. */
  public List<SagaRecord> find(Set<SagaStatus> statuses, int limit) {
    if (statuses.isEmpty()) {
      return List.of();
    }
    List<SagaStatus> list = List.copyOf(statuses);
    String sql = Sql.find(list.size());
    return withConnection(
        "query",
        false,
        c -> {
          List<SagaRecord> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (SagaStatus s : list) {
              ps.setString(i++, s.name());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(Sql.record(rs));
              }
            }
          }
          return out;
        });
  }

  /** Runs the schema migration on the control connection. */
  public int migrate() {
    lock.lock();
    try {
      if (connection == null) {
        connection = dataSource.getConnection();
      }
      return Schema.migrate(connection, dialect);
    } catch (SQLException e) {
      closeQuietly();
      throw new SagaJournalException("saga journal schema migration failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static SagaRecord leased(SagaRecord r, String node, long epoch, long until) {
    return new SagaRecord(
        r.sagaId(), r.definitionName(), r.definitionVersion(), r.status(), node, epoch, until,
        r.lastSeq(), r.createdAtMillis(), r.updatedAtMillis());
  }

  private void rollbackQuietly() {
    Sql.rollbackQuietly(connection);
  }

  private void closeQuietly() {
    Sql.closeQuietly(connection);
    connection = null;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closeQuietly();
    } finally {
      lock.unlock();
    }
  }
}
