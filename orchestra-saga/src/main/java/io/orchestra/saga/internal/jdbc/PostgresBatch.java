package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
    int n = records.size();
    String[] id = new String[n];
    String[] name = new String[n];
    Integer[] version = new Integer[n];
    String[] key = new String[n];
    String[] status = new String[n];
    String[] owner = new String[n];
    Long[] epoch = new Long[n];
    Long[] lease = new Long[n];
    Long[] lastSeq = new Long[n];
    Long[] created = new Long[n];
    Long[] updated = new Long[n];
    for (int i = 0; i < n; i++) {
      SagaRecord r = records.get(i);
      id[i] = r.sagaId();
      name[i] = r.definitionName();
      version[i] = r.definitionVersion();
      key[i] = r.definitionKey();
      status[i] = r.status().name();
      owner[i] = r.ownerNode();
      epoch[i] = r.epoch();
      lease[i] = r.leaseExpiresAtMillis();
      lastSeq[i] = r.lastSeq();
      created[i] = r.createdAtMillis();
      updated[i] = r.updatedAtMillis();
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_SAGAS)) {
      bind(c, ps, 1, "varchar", id);
      bind(c, ps, 2, "varchar", name);
      bind(c, ps, 3, "int4", version);
      bind(c, ps, 4, "varchar", key);
      bind(c, ps, 5, "varchar", status);
      bind(c, ps, 6, "varchar", owner);
      bind(c, ps, 7, "int8", epoch);
      bind(c, ps, 8, "int8", lease);
      bind(c, ps, 9, "int8", lastSeq);
      bind(c, ps, 10, "int8", created);
      bind(c, ps, 11, "int8", updated);
      ps.executeUpdate();
    }
  }

  @Override
  public Set<Fence> fence(Connection c, Collection<Fence> fences) throws SQLException {
    int n = fences.size();
    String[] id = new String[n];
    Long[] epoch = new Long[n];
    String[] status = new String[n];
    Long[] lastSeq = new Long[n];
    Long[] updated = new Long[n];
    Boolean[] releaseOwner = new Boolean[n];
    Boolean[] releaseLease = new Boolean[n];
    Map<String, Fence> byKey = new HashMap<>(n * 2);
    int i = 0;
    for (Fence f : fences) {
      id[i] = f.sagaId();
      epoch[i] = f.epoch();
      status[i] = f.status() == null ? null : f.status().name();
      lastSeq[i] = f.lastSeq();
      updated[i] = f.updatedAt();
      releaseOwner[i] = f.releaseOwner();
      releaseLease[i] = f.releaseLease();
      byKey.put(f.sagaId() + '\u0000' + f.epoch(), f);
      i++;
    }
    Set<Fence> applied = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(FENCE)) {
      bind(c, ps, 1, "varchar", id);
      bind(c, ps, 2, "int8", epoch);
      bind(c, ps, 3, "varchar", status);
      bind(c, ps, 4, "int8", lastSeq);
      bind(c, ps, 5, "int8", updated);
      bind(c, ps, 6, "bool", releaseOwner);
      bind(c, ps, 7, "bool", releaseLease);
      bind(c, ps, 8, "varchar", id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Fence f = byKey.get(rs.getString(1) + '\u0000' + rs.getLong(2));
          if (f != null) {
            applied.add(f);
          }
        }
      }
    }
    return applied;
  }

  @Override
  public void insertEvents(Connection c, List<SagaEvent> events) throws SQLException {
    int n = events.size();
    String[] id = new String[n];
    Long[] seq = new Long[n];
    String[] type = new String[n];
    Long[] at = new Long[n];
    Integer[] step = new Integer[n];
    Integer[] attempt = new Integer[n];
    String[] outcome = new String[n];
    String[] data = new String[n];
    String[] detail = new String[n];
    for (int i = 0; i < n; i++) {
      SagaEvent e = events.get(i);
      id[i] = e.sagaId();
      seq[i] = e.seq();
      type[i] = e.type().name();
      at[i] = e.timestampMillis();
      step[i] = e.step();
      attempt[i] = e.attempt();
      outcome[i] = e.outcome();
      data[i] = e.data();
      detail[i] = e.detail();
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
      bind(c, ps, 1, "varchar", id);
      bind(c, ps, 2, "int8", seq);
      bind(c, ps, 3, "varchar", type);
      bind(c, ps, 4, "int8", at);
      bind(c, ps, 5, "int4", step);
      bind(c, ps, 6, "int4", attempt);
      bind(c, ps, 7, "varchar", outcome);
      bind(c, ps, 8, "text", data);
      bind(c, ps, 9, "text", detail);
      ps.executeUpdate();
    }
  }

  /** One statement instead of a delete and an insert batch: the snapshot rows are upserted. */
  @Override
  public void replaceSnapshots(Connection c, Collection<SagaSnapshot> snapshots) throws SQLException {
    int n = snapshots.size();
    String[] id = new String[n];
    Long[] seq = new Long[n];
    String[] state = new String[n];
    Long[] created = new Long[n];
    int i = 0;
    for (SagaSnapshot s : snapshots) {
      id[i] = s.sagaId();
      seq[i] = s.seq();
      state[i] = s.state();
      created[i] = s.createdAtMillis();
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT_SNAPSHOTS)) {
      bind(c, ps, 1, "varchar", id);
      bind(c, ps, 2, "int8", seq);
      bind(c, ps, 3, "text", state);
      bind(c, ps, 4, "int8", created);
      ps.executeUpdate();
    }
  }

  static void bind(Connection c, PreparedStatement ps, int index, String type, Object[] values)
      throws SQLException {
    Array array = c.createArrayOf(type, values);
    ps.setArray(index, array);
  }
}
