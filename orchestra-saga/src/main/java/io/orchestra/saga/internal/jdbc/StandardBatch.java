package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Group-commit statements as plain JDBC batches; works on any SQL database. Not public API. */
class StandardBatch implements Batch {

  @Override
  public void insertSagas(Connection c, List<SagaRecord> records) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(Sql.INSERT_SAGA)) {
      for (SagaRecord r : records) {
        Sql.bindRecord(ps, r);
        ps.addBatch();
      }
      execute(ps);
    }
  }

  @Override
  public Set<Fence> fence(Connection c, Collection<Fence> fences) throws SQLException {
    List<Fence> list = new ArrayList<>(fences);
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(Sql.FENCED_UPDATE)) {
      for (Fence f : list) {
        Sql.setNullable(ps, 1, f.status() == null ? null : f.status().name());
        ps.setLong(2, f.lastSeq());
        ps.setLong(3, f.updatedAt());
        ps.setInt(4, f.releaseOwner() ? 1 : 0);
        ps.setInt(5, f.releaseLease() ? 1 : 0);
        ps.setString(6, f.sagaId());
        ps.setLong(7, f.epoch());
        ps.addBatch();
      }
      counts = execute(ps);
    }
    Set<Fence> applied = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (counts[i] != 0) {
        applied.add(list.get(i));
      }
    }
    return applied;
  }

  @Override
  public void insertEvents(Connection c, List<SagaEvent> events) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(Sql.INSERT_EVENT)) {
      for (SagaEvent e : events) {
        Sql.bindEvent(ps, e);
        ps.addBatch();
      }
      execute(ps);
    }
  }

  @Override
  public void replaceSnapshots(Connection c, Collection<SagaSnapshot> snapshots) throws SQLException {
    try (PreparedStatement del = c.prepareStatement(Sql.DELETE_SNAPSHOT);
        PreparedStatement ins = c.prepareStatement(Sql.INSERT_SNAPSHOT)) {
      for (SagaSnapshot s : snapshots) {
        del.setString(1, s.sagaId());
        del.addBatch();
        ins.setString(1, s.sagaId());
        ins.setLong(2, s.seq());
        ins.setString(3, s.state());
        ins.setLong(4, s.createdAtMillis());
        ins.addBatch();
      }
      execute(del);
      execute(ins);
    }
  }

  @Override
  public void prune(Connection c, Map<String, Long> upToSeq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(Sql.PRUNE_EVENTS)) {
      for (Map.Entry<String, Long> p : upToSeq.entrySet()) {
        ps.setString(1, p.getKey());
        ps.setLong(2, p.getValue());
        ps.addBatch();
      }
      execute(ps);
    }
  }

  static int[] execute(PreparedStatement ps) throws SQLException {
    try {
      return ps.executeBatch();
    } catch (BatchUpdateException e) {
      SQLException next = e.getNextException();
      if (next != null && e.getCause() == null) {
        e.initCause(next); // PostgreSQL puts the reason there
      }
      throw e;
    }
  }
}
