package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group-commit statements for PostgreSQL: each table is written by one statement over {@code
 * unnest} of parameter arrays, so a batch of hundreds of rows costs one parse, one plan and one
 * round trip instead of one per row. The fenced update returns the rows it matched. Not public API.
 */
final class PostgresBatch extends StandardBatch {

  static final String INSERT_SAGAS =
      "INSERT INTO orchestra_saga (saga_id, definition_name, definition_version, definition_key,"
          + " status, owner_node, epoch, lease_expires_at, last_seq, created_at, updated_at)"
          + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[],"
          + " ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])";

  static final String FENCE =
      "UPDATE orchestra_saga s SET status = COALESCE(u.status, s.status),"
          + " last_seq = GREATEST(s.last_seq, u.last_seq),"
          + " updated_at = GREATEST(s.updated_at, u.updated_at),"
          + " owner_node = CASE WHEN u.release_owner THEN NULL ELSE s.owner_node END,"
          + " lease_expires_at = CASE WHEN u.release_lease THEN 0 ELSE s.lease_expires_at END"
          + " FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[],"
          + " ?::boolean[], ?::boolean[])"
          + " AS u(saga_id, epoch, status, last_seq, updated_at, release_owner, release_lease)"
          + " WHERE s.saga_id = u.saga_id AND s.epoch = u.epoch"
          // Redundant with the join, but it lets the planner find the rows through the primary
          // key even when its statistics are stale (a freshly truncated or fast-growing table),
          // where it would otherwise scan the whole table for every commit.
          + " AND s.saga_id = ANY(?::varchar[])"
          + " RETURNING s.saga_id, s.epoch";

  private static final String UPSERT_SNAPSHOTS =
      "INSERT INTO orchestra_saga_snapshot (saga_id, seq, state, created_at)"
          + " SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::text[], ?::bigint[])"
          + " ON CONFLICT (saga_id) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state,"
          + " created_at = EXCLUDED.created_at";

  private static final String INSERT_EVENTS =
      "INSERT INTO orchestra_saga_event (saga_id, seq, event_type, occurred_at, step, attempt,"
          + " outcome, data, detail)"
          + " SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::int[],"
          + " ?::int[], ?::varchar[], ?::text[], ?::text[])";

  /**
   * Every statement of a writer finds its rows by primary key. The driver prepares them once per
   * connection and after five runs PostgreSQL keeps one generic plan per statement; a generic plan
   * made while the tables looked small (a fresh install or a truncated table, before autovacuum's
   * first analyze) scans the whole saga table, and was then kept in every commit however big the
   * table grew, until the next analyze. Sequential scans are off for the writer's transactions
   * only ({@code SET LOCAL}), which is when their plans are made.
   */
  @Override
  public void beginTransaction(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL enable_seqscan = off");
    }
  }

  @Override
  public boolean writesAtOnce() {
    return true;
  }

  @Override
  public Set<Fence> writeAtOnce(Connection c, AtOnce w) throws SQLException {
    return PostgresAtOnce.write(c, w);
  }

  @Override
  public void insertSagas(Connection c, List<SagaRecord> records) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_SAGAS)) {
      PostgresColumns.sagas(c, ps, 1, records);
      ps.executeUpdate();
    }
  }

  @Override
  public Set<Fence> fence(Connection c, Collection<Fence> fences) throws SQLException {
    Map<String, Fence> byKey = new HashMap<>(fences.size() * 2);
    try (PreparedStatement ps = c.prepareStatement(FENCE)) {
      PostgresColumns.fences(c, ps, 1, fences, byKey);
      try (ResultSet rs = ps.executeQuery()) {
        return PostgresColumns.applied(rs, byKey);
      }
    }
  }

  @Override
  public void insertEvents(Connection c, List<SagaEvent> events) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
      PostgresColumns.events(c, ps, 1, events, null);
      ps.executeUpdate();
    }
  }

  /** One statement instead of a delete and an insert batch: the snapshot rows are upserted. */
  @Override
  public void replaceSnapshots(Connection c, Collection<SagaSnapshot> snapshots) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_SNAPSHOTS)) {
      PostgresColumns.snapshots(c, ps, 1, snapshots, null);
      ps.executeUpdate();
    }
  }
}
