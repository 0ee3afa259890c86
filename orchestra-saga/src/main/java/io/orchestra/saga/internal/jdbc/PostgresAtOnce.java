package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole group commit on PostgreSQL as one statement: data-modifying {@code WITH} parts insert
 * the new sagas, apply the fenced row updates, and insert the events and upsert the snapshots of
 * only the updates that matched (joined on the update's {@code RETURNING}). It runs in the
 * writer's transaction, all-or-nothing exactly like the statement-by-statement transaction it
 * replaces, and costs one statement round trip instead of four (sagas, fence, events,
 * snapshots). Events of new sagas carry epoch -1: they are stored with their saga row, unfenced.
 * Not public API.
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
      int p = PostgresColumns.sagas(c, ps, 1, w.records());
      Map<String, Batch.Fence> byKey = new HashMap<>(w.fences().size() * 2);
      p = PostgresColumns.fences(c, ps, p, w.fences(), byKey);
      p = bindEvents(c, ps, p, w);
      bindSnapshots(c, ps, p, w);
      try (ResultSet rs = ps.executeQuery()) {
        return PostgresColumns.applied(rs, byKey);
      }
    }
  }

  /** The new sagas' events (epoch -1) and each fence's events, with their epochs. */
  private static int bindEvents(Connection c, PreparedStatement ps, int p, Batch.AtOnce w) throws SQLException {
    List<SagaEvent> events = new ArrayList<>(w.createEvents());
    for (List<SagaEvent> fenced : w.fencedEvents()) {
      events.addAll(fenced);
    }
    Long[] epochs = new Long[events.size()];
    int i = 0;
    for (int g = -1; g < w.fences().size(); g++) {
      List<SagaEvent> group = g < 0 ? w.createEvents() : w.fencedEvents().get(g);
      long fenceEpoch = g < 0 ? -1 : w.fences().get(g).epoch();
      for (int k = 0; k < group.size(); k++) {
        epochs[i++] = fenceEpoch;
      }
    }
    return PostgresColumns.events(c, ps, p, events, epochs);
  }

  /** Each fence's snapshot, where it has one, with the fence's epoch. */
  private static void bindSnapshots(Connection c, PreparedStatement ps, int p, Batch.AtOnce w) throws SQLException {
    List<SagaSnapshot> snapshots = new ArrayList<>();
    List<Long> epochs = new ArrayList<>();
    for (int g = 0; g < w.fences().size(); g++) {
      SagaSnapshot s = w.fencedSnapshots().get(g);
      if (s != null) {
        snapshots.add(s);
        epochs.add(w.fences().get(g).epoch());
      }
    }
    PostgresColumns.snapshots(c, ps, p, snapshots, epochs.toArray(new Long[0]));
  }
}
