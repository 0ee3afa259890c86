package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole group commit on PostgreSQL as one statement in auto-commit: data-modifying {@code WITH}
 * parts insert the new sagas, apply the fenced row updates, and insert the events and upsert the
 * snapshots of only the updates that matched (joined on the update's {@code RETURNING}). One
 * statement is one transaction, so it is all-or-nothing exactly like the statement-by-statement
 * transaction it replaces, and the batch costs one round trip to the server instead of five
 * (sagas, fence, events, snapshots, commit). Events of new sagas carry epoch -1: they are stored
 * with their saga row, unfenced. Not public API.
 */
final class PostgresAtOnce {
  private PostgresAtOnce() {}

  private static final String SQL =
      "WITH created AS (" + PostgresBatch.INSERT_SAGAS + "),"
          + " fenced AS (" + PostgresBatch.FENCE + "),"
          + " events AS (INSERT INTO orchestra_saga_event (saga_id, seq, event_type, occurred_at,"
          + " step, attempt, outcome, data, detail)"
          + " SELECT e.saga_id, e.seq, e.event_type, e.occurred_at, e.step, e.attempt, e.outcome,"
          + " e.data, e.detail"
          + " FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::varchar[], ?::bigint[],"
          + " ?::int[], ?::int[], ?::varchar[], ?::text[], ?::text[])"
          + " AS e(saga_id, epoch, seq, event_type, occurred_at, step, attempt, outcome, data,"
          + " detail)"
          + " WHERE e.epoch < 0"
          + " OR EXISTS (SELECT 1 FROM fenced f WHERE f.saga_id = e.saga_id AND f.epoch = e.epoch)),"
          + " snapshots AS (INSERT INTO orchestra_saga_snapshot (saga_id, seq, state, created_at)"
          + " SELECT n.saga_id, n.seq, n.state, n.created_at"
          + " FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[])"
          + " AS n(saga_id, epoch, seq, state, created_at)"
          + " WHERE EXISTS (SELECT 1 FROM fenced f WHERE f.saga_id = n.saga_id AND f.epoch = n.epoch)"
          + " ON CONFLICT (saga_id) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state,"
          + " created_at = EXCLUDED.created_at)"
          + " SELECT saga_id, epoch FROM fenced";

  static Set<Batch.Fence> write(Connection c, Batch.AtOnce w) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      int p = bindSagas(c, ps, 1, w.records());
      Map<String, Batch.Fence> byKey = new HashMap<>(w.fences().size() * 2);
      p = bindFences(c, ps, p, w.fences(), byKey);
      p = bindEvents(c, ps, p, w);
      bindSnapshots(c, ps, p, w);
      Set<Batch.Fence> applied = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Batch.Fence f = byKey.get(rs.getString(1) + '\u0000' + rs.getLong(2));
          if (f != null) {
            applied.add(f);
          }
        }
      }
      return applied;
    }
  }

  private static int bindSagas(Connection c, PreparedStatement ps, int p, List<SagaRecord> records)
      throws SQLException {
    int n = records.size();
    Object[][] cols = new Object[11][];
    cols[0] = new String[n];
    cols[1] = new String[n];
    cols[2] = new Integer[n];
    cols[3] = new String[n];
    cols[4] = new String[n];
    cols[5] = new String[n];
    for (int k = 6; k < 11; k++) {
      cols[k] = new Long[n];
    }
    for (int i = 0; i < n; i++) {
      SagaRecord r = records.get(i);
      cols[0][i] = r.sagaId();
      cols[1][i] = r.definitionName();
      cols[2][i] = r.definitionVersion();
      cols[3][i] = r.definitionKey();
      cols[4][i] = r.status().name();
      cols[5][i] = r.ownerNode();
      cols[6][i] = r.epoch();
      cols[7][i] = r.leaseExpiresAtMillis();
      cols[8][i] = r.lastSeq();
      cols[9][i] = r.createdAtMillis();
      cols[10][i] = r.updatedAtMillis();
    }
    String[] types = {"varchar", "varchar", "int4", "varchar", "varchar", "varchar", "int8", "int8", "int8", "int8", "int8"};
    for (int k = 0; k < 11; k++) {
      PostgresBatch.bind(c, ps, p++, types[k], cols[k]);
    }
    return p;
  }

  private static int bindFences(
      Connection c, PreparedStatement ps, int p, List<Batch.Fence> fences, Map<String, Batch.Fence> byKey)
      throws SQLException {
    int n = fences.size();
    String[] id = new String[n];
    Long[] epoch = new Long[n];
    String[] status = new String[n];
    Long[] lastSeq = new Long[n];
    Long[] updated = new Long[n];
    Boolean[] releaseOwner = new Boolean[n];
    Boolean[] releaseLease = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Batch.Fence f = fences.get(i);
      id[i] = f.sagaId();
      epoch[i] = f.epoch();
      status[i] = f.status() == null ? null : f.status().name();
      lastSeq[i] = f.lastSeq();
      updated[i] = f.updatedAt();
      releaseOwner[i] = f.releaseOwner();
      releaseLease[i] = f.releaseLease();
      byKey.put(f.sagaId() + '\u0000' + f.epoch(), f);
    }
    PostgresBatch.bind(c, ps, p++, "varchar", id);
    PostgresBatch.bind(c, ps, p++, "int8", epoch);
    PostgresBatch.bind(c, ps, p++, "varchar", status);
    PostgresBatch.bind(c, ps, p++, "int8", lastSeq);
    PostgresBatch.bind(c, ps, p++, "int8", updated);
    PostgresBatch.bind(c, ps, p++, "bool", releaseOwner);
    PostgresBatch.bind(c, ps, p++, "bool", releaseLease);
    PostgresBatch.bind(c, ps, p++, "varchar", id); // the ANY(...) of the fenced update
    return p;
  }

  private static int bindEvents(Connection c, PreparedStatement ps, int p, Batch.AtOnce w)
      throws SQLException {
    int n = w.createEvents().size();
    for (List<SagaEvent> events : w.fencedEvents()) {
      n += events.size();
    }
    String[] id = new String[n];
    Long[] epoch = new Long[n];
    Long[] seq = new Long[n];
    String[] type = new String[n];
    Long[] at = new Long[n];
    Integer[] step = new Integer[n];
    Integer[] attempt = new Integer[n];
    String[] outcome = new String[n];
    String[] data = new String[n];
    String[] detail = new String[n];
    int i = 0;
    for (int g = -1; g < w.fences().size(); g++) {
      List<SagaEvent> events = g < 0 ? w.createEvents() : w.fencedEvents().get(g);
      long fenceEpoch = g < 0 ? -1 : w.fences().get(g).epoch();
      for (SagaEvent e : events) {
        id[i] = e.sagaId();
        epoch[i] = fenceEpoch;
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
    }
    PostgresBatch.bind(c, ps, p++, "varchar", id);
    PostgresBatch.bind(c, ps, p++, "int8", epoch);
    PostgresBatch.bind(c, ps, p++, "int8", seq);
    PostgresBatch.bind(c, ps, p++, "varchar", type);
    PostgresBatch.bind(c, ps, p++, "int8", at);
    PostgresBatch.bind(c, ps, p++, "int4", step);
    PostgresBatch.bind(c, ps, p++, "int4", attempt);
    PostgresBatch.bind(c, ps, p++, "varchar", outcome);
    PostgresBatch.bind(c, ps, p++, "text", data);
    PostgresBatch.bind(c, ps, p++, "text", detail);
    return p;
  }

  private static void bindSnapshots(Connection c, PreparedStatement ps, int p, Batch.AtOnce w)
      throws SQLException {
    int n = 0;
    for (SagaSnapshot s : w.fencedSnapshots()) {
      n += s == null ? 0 : 1;
    }
    String[] id = new String[n];
    Long[] epoch = new Long[n];
    Long[] seq = new Long[n];
    String[] state = new String[n];
    Long[] created = new Long[n];
    int i = 0;
    for (int g = 0; g < w.fences().size(); g++) {
      SagaSnapshot s = w.fencedSnapshots().get(g);
      if (s != null) {
        id[i] = s.sagaId();
        epoch[i] = w.fences().get(g).epoch();
        seq[i] = s.seq();
        state[i] = s.state();
        created[i] = s.createdAtMillis();
        i++;
      }
    }
    PostgresBatch.bind(c, ps, p++, "varchar", id);
    PostgresBatch.bind(c, ps, p++, "int8", epoch);
    PostgresBatch.bind(c, ps, p++, "int8", seq);
    PostgresBatch.bind(c, ps, p++, "text", state);
    PostgresBatch.bind(c, ps, p, "int8", created);
  }
}
