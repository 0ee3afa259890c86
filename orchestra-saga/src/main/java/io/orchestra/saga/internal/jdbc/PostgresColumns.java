package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parameter arrays of the PostgreSQL group-commit statements, one method per table, shared by
 * the statement-by-statement transaction ({@link PostgresBatch}) and the single statement ({@link
 * PostgresAtOnce}). Each binds its columns, in the order of the statement's {@code unnest}, from
 * parameter {@code p} on and returns the next free parameter index. Not public API.
 */
final class PostgresColumns {
  private PostgresColumns() {}

  /** The 11 columns of {@code INSERT_SAGAS}. */
  static int sagas(Connection c, PreparedStatement ps, int p, Collection<SagaRecord> records) throws SQLException {
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
    int i = 0;
    for (SagaRecord r : records) {
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
      i++;
    }
    bind(c, ps, p++, "varchar", id);
    bind(c, ps, p++, "varchar", name);
    bind(c, ps, p++, "int4", version);
    bind(c, ps, p++, "varchar", key);
    bind(c, ps, p++, "varchar", status);
    bind(c, ps, p++, "varchar", owner);
    bind(c, ps, p++, "int8", epoch);
    bind(c, ps, p++, "int8", lease);
    bind(c, ps, p++, "int8", lastSeq);
    bind(c, ps, p++, "int8", created);
    bind(c, ps, p++, "int8", updated);
    return p;
  }

  /**
   * The 8 parameters of {@code FENCE} (its 7 {@code unnest} columns and the ids again for the
   * {@code ANY}); records each fence in {@code byKey} under {@link #fenceKey}.
   */
  static int fences(
      Connection c, PreparedStatement ps, int p, Collection<Batch.Fence> fences, Map<String, Batch.Fence> byKey)
      throws SQLException {
    int n = fences.size();
    String[] id = new String[n];
    Long[] epoch = new Long[n];
    String[] status = new String[n];
    Long[] lastSeq = new Long[n];
    Long[] updated = new Long[n];
    Boolean[] releaseOwner = new Boolean[n];
    Boolean[] releaseLease = new Boolean[n];
    int i = 0;
    for (Batch.Fence f : fences) {
      id[i] = f.sagaId();
      epoch[i] = f.epoch();
      status[i] = f.status() == null ? null : f.status().name();
      lastSeq[i] = f.lastSeq();
      updated[i] = f.updatedAt();
      releaseOwner[i] = f.releaseOwner();
      releaseLease[i] = f.releaseLease();
      byKey.put(fenceKey(f.sagaId(), f.epoch()), f);
      i++;
    }
    bind(c, ps, p++, "varchar", id);
    bind(c, ps, p++, "int8", epoch);
    bind(c, ps, p++, "varchar", status);
    bind(c, ps, p++, "int8", lastSeq);
    bind(c, ps, p++, "int8", updated);
    bind(c, ps, p++, "bool", releaseOwner);
    bind(c, ps, p++, "bool", releaseLease);
    bind(c, ps, p++, "varchar", id); // the ANY(...) of the fenced update
    return p;
  }

  /** The fences whose rows the fenced update returned ({@code saga_id, epoch} per row). */
  static Set<Batch.Fence> applied(ResultSet rs, Map<String, Batch.Fence> byKey) throws SQLException {
    Set<Batch.Fence> applied = new HashSet<>();
    while (rs.next()) {
      Batch.Fence f = byKey.get(fenceKey(rs.getString(1), rs.getLong(2)));
      if (f != null) {
        applied.add(f);
      }
    }
    return applied;
  }

  /**
   * The event columns: saga id, then (when {@code epochs} is not null) the fencing epoch of each
   * event, then seq, type, time, step, attempt, outcome, data and detail.
   */
  static int events(Connection c, PreparedStatement ps, int p, Collection<SagaEvent> events, Long[] epochs)
      throws SQLException {
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
    int i = 0;
    for (SagaEvent e : events) {
      id[i] = e.sagaId();
      seq[i] = e.seq();
      type[i] = e.type().name();
      at[i] = e.timestampMillis();
      step[i] = e.step();
      attempt[i] = e.attempt();
      outcome[i] = e.outcome();
      data[i] = e.data();
      detail[i] = e.detail();
      i++;
    }
    bind(c, ps, p++, "varchar", id);
    if (epochs != null) {
      bind(c, ps, p++, "int8", epochs);
    }
    bind(c, ps, p++, "int8", seq);
    bind(c, ps, p++, "varchar", type);
    bind(c, ps, p++, "int8", at);
    bind(c, ps, p++, "int4", step);
    bind(c, ps, p++, "int4", attempt);
    bind(c, ps, p++, "varchar", outcome);
    bind(c, ps, p++, "text", data);
    bind(c, ps, p++, "text", detail);
    return p;
  }

  /** The snapshot columns: saga id, then (when {@code epochs} is not null) the epoch, seq, state, time. */
  static int snapshots(
      Connection c, PreparedStatement ps, int p, Collection<SagaSnapshot> snapshots, Long[] epochs)
      throws SQLException {
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
    bind(c, ps, p++, "varchar", id);
    if (epochs != null) {
      bind(c, ps, p++, "int8", epochs);
    }
    bind(c, ps, p++, "int8", seq);
    bind(c, ps, p++, "text", state);
    bind(c, ps, p++, "int8", created);
    return p;
  }

  /** How a fence is found again from the {@code saga_id, epoch} the fenced update returns. */
  static String fenceKey(String sagaId, long epoch) {
    return sagaId + '\u0000' + epoch;
  }

  static void bind(Connection c, PreparedStatement ps, int index, String type, Object[] values)
      throws SQLException {
    ps.setArray(index, c.createArrayOf(type, values));
  }
}
