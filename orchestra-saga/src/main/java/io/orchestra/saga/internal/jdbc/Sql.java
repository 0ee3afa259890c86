package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Statement texts and row mapping shared by the writer and the reader. Not public API. */
final class Sql {
  private Sql() {}

  static final String SAGA_COLUMNS =
      "saga_id, definition_name, definition_version, status, owner_node, epoch, lease_expires_at,"
          + " last_seq, created_at, updated_at";

  static final String INSERT_SAGA =
      "INSERT INTO orchestra_saga (saga_id, definition_name, definition_version, definition_key,"
          + " status, owner_node, epoch, lease_expires_at, last_seq, created_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String FENCED_UPDATE =
      "UPDATE orchestra_saga SET status = COALESCE(?, status),"
          + " last_seq = GREATEST(last_seq, ?), updated_at = GREATEST(updated_at, ?),"
          + " owner_node = CASE WHEN ? = 1 THEN NULL ELSE owner_node END,"
          + " lease_expires_at = CASE WHEN ? = 1 THEN 0 ELSE lease_expires_at END"
          + " WHERE saga_id = ? AND epoch = ?";

  static final String INSERT_EVENT =
      "INSERT INTO orchestra_saga_event (saga_id, seq, event_type, occurred_at, step, attempt,"
          + " outcome, data, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String DELETE_SNAPSHOT = "DELETE FROM orchestra_saga_snapshot WHERE saga_id = ?";

  static final String INSERT_SNAPSHOT =
      "INSERT INTO orchestra_saga_snapshot (saga_id, seq, state, created_at) VALUES (?, ?, ?, ?)";

  static final String PRUNE_EVENTS =
      "DELETE FROM orchestra_saga_event WHERE saga_id = ? AND seq <= ?";

  static final String SELECT_SAGA =
      "SELECT " + SAGA_COLUMNS + " FROM orchestra_saga WHERE saga_id = ?";

  static final String SELECT_SNAPSHOT =
      "SELECT saga_id, seq, state, created_at FROM orchestra_saga_snapshot WHERE saga_id = ?";

  static final String SELECT_EVENTS =
      "SELECT saga_id, seq, event_type, occurred_at, step, attempt, outcome, data, detail"
          + " FROM orchestra_saga_event WHERE saga_id = ? AND seq > ? ORDER BY seq";

  static final String RENEW =
      "UPDATE orchestra_saga SET lease_expires_at = ? WHERE saga_id = ? AND epoch = ?"
          + " AND status IN ('RUNNING', 'COMPENSATING')";

  static final String TAKE_LEASE =
      "UPDATE orchestra_saga SET owner_node = ?, epoch = ?, lease_expires_at = ? WHERE saga_id = ?";

  /**
   * The recovery scan: active sagas of {@code keys} definition keys whose lease ran out (or, with
   * {@code includeOwn}, that a node owns), oldest lease first, locked for the claim. Parameters:
   * the keys, the time, the node (with {@code includeOwn}), the limit. Uses {@code
   * orchestra_saga_claim}.
   */
  static String claim(int keys, boolean includeOwn, SqlDialect dialect) {
    return "SELECT " + SAGA_COLUMNS + " FROM orchestra_saga"
        + " WHERE status IN ('RUNNING', 'COMPENSATING')"
        + " AND definition_key IN (" + marks(keys) + ")"
        + " AND (lease_expires_at < ?" + (includeOwn ? " OR owner_node = ?" : "") + ")"
        + " ORDER BY lease_expires_at LIMIT ?"
        + (dialect == SqlDialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE");
  }

  /**
   * The status listing: sagas with one of {@code statuses} statuses, oldest update first.
   * Parameters: the statuses, the limit. Uses {@code orchestra_saga_status}.
   */
  static String find(int statuses) {
    return "SELECT " + SAGA_COLUMNS + " FROM orchestra_saga WHERE status IN (" + marks(statuses) + ")"
        + " ORDER BY updated_at LIMIT ?";
  }

  static SagaRecord record(ResultSet rs) throws SQLException {
    return new SagaRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        SagaStatus.valueOf(rs.getString(4)),
        rs.getString(5),
        rs.getLong(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10));
  }

  static SagaEvent event(ResultSet rs) throws SQLException {
    return new SagaEvent(
        rs.getString(1),
        rs.getLong(2),
        SagaEventType.valueOf(rs.getString(3)),
        rs.getLong(4),
        rs.getInt(5),
        rs.getInt(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9));
  }

  static void bindEvent(PreparedStatement ps, SagaEvent e) throws SQLException {
    ps.setString(1, e.sagaId());
    ps.setLong(2, e.seq());
    ps.setString(3, e.type().name());
    ps.setLong(4, e.timestampMillis());
    ps.setInt(5, e.step());
    ps.setInt(6, e.attempt());
    setNullable(ps, 7, e.outcome());
    setNullable(ps, 8, e.data());
    setNullable(ps, 9, e.detail());
  }

  static void bindRecord(PreparedStatement ps, SagaRecord r) throws SQLException {
    ps.setString(1, r.sagaId());
    ps.setString(2, r.definitionName());
    ps.setInt(3, r.definitionVersion());
    ps.setString(4, r.definitionKey());
    ps.setString(5, r.status().name());
    setNullable(ps, 6, r.ownerNode());
    ps.setLong(7, r.epoch());
    ps.setLong(8, r.leaseExpiresAtMillis());
    ps.setLong(9, r.lastSeq());
    ps.setLong(10, r.createdAtMillis());
    ps.setLong(11, r.updatedAtMillis());
  }

  static void setNullable(PreparedStatement ps, int i, String value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, value);
    }
  }

  /** {@code ?, ?, ?} with {@code n} marks. */
  static String marks(int n) {
    StringBuilder b = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "?" : ", ?");
    }
    return b.toString();
  }

  /** Rolls back {@code c} (which may be null or broken) if a transaction is open; never throws. */
  static void rollbackQuietly(Connection c) {
    if (c != null) {
      try {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      } catch (SQLException ignored) {
        // the caller replaces the connection if it is broken
      }
    }
  }

  /** Closes {@code c} (which may be null or broken); never throws. */
  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }
}
