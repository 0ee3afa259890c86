package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import io.orchestra.saga.journal.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transaction of one group commit: new saga rows, one fenced row update per saga and epoch,
 * then the events, snapshots and prunes of the writes whose update matched, and the commit; after
 * the commit, each write succeeds, or fails with {@link SagaLeaseLostException} when its fence
 * matched nothing (its events were not stored). Where the dialect can and the batch allows it
 * (see {@link #canWriteAtOnce}), the whole batch is one statement.
 *
 * <p>Fencing: a write's row update matches only while the saga still has the writer's epoch, so a
 * node that lost a saga's lease cannot store anything more for it.
 *
 * <p>Runs only on the writer thread, on the connection {@link BatchCommitter} gives it; a failure
 * is thrown before any write is completed and left to the committer (which rolls back). Not
 * public API.
 */
final class FencedCommit {
  private final Batch batch;
  private final Completions done;

  FencedCommit(SqlDialect dialect, Completions done) {
    this.batch = Batch.of(dialect);
    this.done = done;
  }

  /** Stores {@code ops} in one transaction on {@code c} and commits, then completes them. */
  void write(Connection c, List<WriteOp> ops) throws SQLException {
    c.setAutoCommit(false);
    batch.beginTransaction(c);
    List<SagaRecord> records = new ArrayList<>();
    List<WriteOp> creates = new ArrayList<>();
    // All writes of one saga at one epoch share one fenced row update.
    Map<String, Group> groups = new LinkedHashMap<>();
    for (WriteOp op : ops) {
      if (op.record != null) {
        records.add(op.record);
        creates.add(op);
      } else {
        groups.computeIfAbsent(op.sagaId() + '\u0000' + op.append.epoch(), k -> new Group()).add(op);
      }
    }
    if (batch.writesAtOnce() && canWriteAtOnce(ops, creates)) {
      writeAtOnce(c, creates, groups.values());
      return;
    }
    if (!records.isEmpty()) {
      batch.insertSagas(c, records);
    }
    List<WriteOp> stored = new ArrayList<>(ops.size());
    List<WriteOp> fenced = new ArrayList<>();
    stored.addAll(creates);
    if (!groups.isEmpty()) {
      Map<Batch.Fence, Group> byFence = new LinkedHashMap<>();
      for (Group g : groups.values()) {
        byFence.put(g.fence(), g);
      }
      Set<Batch.Fence> applied = batch.fence(c, byFence.keySet());
      for (Map.Entry<Batch.Fence, Group> e : byFence.entrySet()) {
        (applied.contains(e.getKey()) ? stored : fenced).addAll(e.getValue().ops);
      }
    }
    List<SagaEvent> events = new ArrayList<>();
    Map<String, SagaSnapshot> snapshots = new LinkedHashMap<>();
    Map<String, Long> prunes = new HashMap<>();
    for (WriteOp op : stored) {
      events.addAll(op.events);
      if (op.append != null && op.append.snapshot() != null) {
        snapshots.put(op.sagaId(), op.append.snapshot());
        if (op.append.pruneToSnapshot()) {
          prunes.merge(op.sagaId(), op.append.snapshot().seq(), Math::max);
        }
      }
    }
    if (!events.isEmpty()) {
      batch.insertEvents(c, events);
    }
    if (!snapshots.isEmpty()) {
      batch.replaceSnapshots(c, snapshots.values());
    }
    if (!prunes.isEmpty()) {
      batch.prune(c, prunes);
    }
    c.commit();
    for (WriteOp op : stored) {
      done.succeed(op);
    }
    for (WriteOp op : fenced) {
      done.fail(op, new SagaLeaseLostException(op.sagaId(), op.append.epoch()));
    }
  }

  /**
   * Whether the batch can be one statement: nothing to prune (a delete in the same statement would
   * not see the events it inserts) and no append to a saga created in the same batch (the fenced
   * update would not see the new row). Neither happens in steady state: a saga's first append
   * waits for its creation, and pruning is only on with event sourcing off.
   */
  private static boolean canWriteAtOnce(List<WriteOp> ops, List<WriteOp> creates) {
    Set<String> created = creates.isEmpty() ? Set.of() : new HashSet<>();
    for (WriteOp op : creates) {
      created.add(op.sagaId());
    }
    for (WriteOp op : ops) {
      if (op.append != null && (op.append.pruneToSnapshot() || created.contains(op.sagaId()))) {
        return false;
      }
    }
    return true;
  }

  /** The batch as one statement, then the commit. */
  private void writeAtOnce(Connection c, List<WriteOp> creates, Collection<Group> groups) throws SQLException {
    List<SagaRecord> records = new ArrayList<>(creates.size());
    List<SagaEvent> createEvents = new ArrayList<>(creates.size());
    for (WriteOp op : creates) {
      records.add(op.record);
      createEvents.addAll(op.events);
    }
    List<Batch.Fence> fences = new ArrayList<>(groups.size());
    List<List<SagaEvent>> events = new ArrayList<>(groups.size());
    List<SagaSnapshot> snapshots = new ArrayList<>(groups.size());
    for (Group g : groups) {
      fences.add(g.fence());
      List<SagaEvent> mine = new ArrayList<>();
      SagaSnapshot snapshot = null;
      for (WriteOp op : g.ops) {
        mine.addAll(op.events);
        if (op.append.snapshot() != null) {
          snapshot = op.append.snapshot(); // the latest replaces the earlier ones
        }
      }
      events.add(mine);
      snapshots.add(snapshot);
    }
    Set<Batch.Fence> applied =
        batch.writeAtOnce(c, new Batch.AtOnce(records, createEvents, fences, events, snapshots));
    c.commit();
    for (WriteOp op : creates) {
      done.succeed(op);
    }
    int k = 0;
    for (Group g : groups) {
      boolean ok = applied.contains(fences.get(k++));
      for (WriteOp op : g.ops) {
        if (ok) {
          done.succeed(op);
        } else {
          done.fail(op, new SagaLeaseLostException(op.sagaId(), op.append.epoch()));
        }
      }
    }
  }

  /** The writes of one saga at one epoch within a batch. */
  private static final class Group {
    final List<WriteOp> ops = new ArrayList<>(2);
    SagaStatus status;
    long lastSeq;
    long updatedAt;
    boolean releaseLease;

    void add(WriteOp op) {
      SagaAppend a = op.append;
      ops.add(op);
      if (a.status() != null) {
        status = a.status();
      }
      lastSeq = Math.max(lastSeq, a.lastSeq());
      updatedAt = Math.max(updatedAt, a.lastTimestamp());
      releaseLease |= a.releaseLease();
    }

    Batch.Fence fence() {
      SagaAppend first = ops.get(0).append;
      boolean settled = status != null && !status.isActive();
      return new Batch.Fence(
          first.sagaId(), first.epoch(), status, lastSeq, updatedAt, settled, settled || releaseLease);
    }
  }
}
