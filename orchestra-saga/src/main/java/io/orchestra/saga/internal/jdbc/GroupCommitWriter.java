package io.orchestra.saga.internal.jdbc;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Timeouts;
import io.orchestra.saga.SagaAlreadyExistsException;
import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SagaSnapshot;
import io.orchestra.saga.journal.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that commits the writes of many sagas together: it takes every write queued
 * while the previous commit ran (up to a batch limit) and stores them in one transaction: new saga
 * rows, fenced row updates, events, snapshots. Concurrent sagas thus share each commit's fsync.
 *
 * <p>Fencing: a write's row update matches only while the saga still has the writer's epoch; a
 * write whose update matched nothing is refused with {@link SagaLeaseLostException} and its events
 * are not stored. A transient failure (the database going away) keeps the batch and retries it
 * with backoff, checking first which writes an interrupted commit did store; a permanent failure
 * of a batch is retried write by write, so one bad write cannot fail its neighbours. Futures are
 * completed on the callback executor; after a commit the writer waits (briefly, see {@link
 * CallbackGate}) for those completions to run, so the writes they issue join the next batch. Not
 * public API.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final DataSource dataSource;
  private final Batch batch;
  private final int maxBatch;
  private final Executor callbacks;
  private final Scheduler scheduler;
  private final RandomSource random;
  private final Backoff backoff;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CallbackGate callbackGate = new CallbackGate();
  private final long commitWaitNanos;
  private Connection connection;

  /** Starts the writer thread. */
  public GroupCommitWriter(
      DataSource dataSource,
      int maxBatch,
      Executor callbacks,
      Scheduler scheduler,
      RandomSource random,
      Backoff backoff,
      SqlDialect dialect,
      long commitWaitNanos,
      String name) {
    this.dataSource = dataSource;
    this.batch = Batch.of(dialect);
    this.maxBatch = maxBatch;
    this.callbacks = callbacks;
    this.scheduler = scheduler;
    this.random = random;
    this.backoff = backoff;
    this.commitWaitNanos = commitWaitNanos;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the creation of a saga. */
  public CompletableFuture<Void> create(SagaRecord record, List<SagaEvent> events) {
    return submit(new Op(record, events, null));
  }

  /** Queues a fenced append. */
  public CompletableFuture<Void> append(SagaAppend append) {
    return submit(new Op(null, append.events(), append));
  }

  /** Whether nothing is queued or being written (for tests that wait for quiet). */
  public boolean isIdle() {
    return inFlight.get() == 0;
  }

  private CompletableFuture<Void> submit(Op op) {
    if (closed) {
      return CompletableFuture.failedFuture(new SagaJournalException("saga journal is closed"));
    }
    inFlight.incrementAndGet();
    queue.add(op);
    return op.future;
  }

  private void run() {
    List<Op> batch = new ArrayList<>(maxBatch);
    while (true) {
      Op first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        break;
      }
      if (first == Op.STOP) {
        break;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      boolean stop = batch.remove(Op.STOP);
      try {
        process(batch);
      } catch (RuntimeException | Error e) {
        for (Op op : batch) {
          fail(op, new SagaJournalException("saga journal writer failed: " + e, e));
        }
      }
      batch.clear();
      if (stop) {
        break;
      }
      if (queue.size() < maxBatch) {
        // Let the sagas just committed queue their next writes, so they ride in the next commit.
        callbackGate.awaitQuiet(commitWaitNanos);
      }
    }
    Op left;
    while ((left = queue.poll()) != null) {
      if (left != Op.STOP) {
        fail(left, new SagaJournalException("saga journal is closed"));
      }
    }
    closeConnection();
  }

  private void process(List<Op> batch) {
    List<Op> pending = batch;
    boolean checkApplied = false;
    int failures = 0;
    long previousDelay = 0;
    while (!pending.isEmpty()) {
      try {
        Connection c = connection();
        if (checkApplied) {
          pending = withoutApplied(c, pending);
          if (pending.isEmpty()) {
            return;
          }
        }
        write(c, pending);
        return;
      } catch (SQLException | RuntimeException | AssertionError thrown) {
        // Drivers may throw unchecked errors when the connection dies mid-call (PostgreSQL's
        // batch handler asserts); judge those like SQL errors, by whether the connection lives.
        SQLException e =
            thrown instanceof SQLException s ? s : new SQLException(thrown.toString(), null, thrown);
        rollbackQuietly();
        if (SqlErrors.isTransient(e, connection)) {
          if (closed) {
            for (Op op : pending) {
              fail(op, new SagaJournalException("saga journal closed while the database was unavailable", e));
            }
            return;
          }
          failures++;
          if (failures == 1 || failures % 20 == 0) {
            log.warn("saga journal unavailable ({} attempts), waiting: {}", failures, e.toString());
          }
          closeConnection();
          checkApplied = true;
          previousDelay = backoff.delayNanos(Math.min(failures, 30), previousDelay, random);
          Timeouts.delay(previousDelay, scheduler).join();
          continue;
        }
        if (pending.size() > 1) {
          // Isolate the write that fails; later writes of the same saga must not skip past it.
          Set<String> broken = new HashSet<>();
          for (Op op : pending) {
            if (broken.contains(op.sagaId())) {
              fail(op, new SagaJournalException("an earlier write of saga " + op.sagaId() + " failed", e));
              continue;
            }
            process(List.of(op));
            if (op.failed) {
              broken.add(op.sagaId());
            }
          }
          return;
        }
        Op op = pending.get(0);
        if (op.record != null && SqlErrors.isDuplicateKey(e)) {
          fail(op, new SagaAlreadyExistsException(op.record.sagaId()));
        } else {
          fail(op, new SagaJournalException("saga journal write failed: " + e.getMessage(), e));
        }
        return;
      }
    }
  }

  /** Drops (and completes) the writes an interrupted commit did store. */
  private List<Op> withoutApplied(Connection c, List<Op> ops) throws SQLException {
    List<Op> left = new ArrayList<>(ops.size());
    c.setAutoCommit(true);
    try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_SAGA)) {
      for (Op op : ops) {
        String id = op.sagaId();
        ps.setString(1, id);
        boolean applied = false;
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            SagaRecord row = Sql.record(rs);
            long lastSeq = op.lastSeq();
            if (op.record != null) {
              // Same creation time and definition: our insert was committed before the outage.
              applied =
                  row.createdAtMillis() == op.record.createdAtMillis()
                      && row.definitionKey().equals(op.record.definitionKey());
            } else if (lastSeq > 0) {
              applied = row.epoch() == op.append.epoch() && row.lastSeq() >= lastSeq;
            }
          }
        }
        if (applied) {
          succeed(op);
        } else {
          left.add(op);
        }
      }
    }
    return left;
  }

  private void write(Connection c, List<Op> ops) throws SQLException {
    c.setAutoCommit(false);
    batch.beginTransaction(c);
    List<SagaRecord> records = new ArrayList<>();
    List<Op> creates = new ArrayList<>();
    // All writes of one saga at one epoch share one fenced row update.
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Op op : ops) {
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
    List<Op> stored = new ArrayList<>(ops.size());
    List<Op> fenced = new ArrayList<>();
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
    for (Op op : stored) {
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
    for (Op op : stored) {
      succeed(op);
    }
    for (Op op : fenced) {
      fail(op, new SagaLeaseLostException(op.sagaId(), op.append.epoch()));
    }
  }

  /**
   * Whether the batch can be one statement: nothing to prune (a delete in the same statement would
   * not see the events it inserts) and no append to a saga created in the same batch (the fenced
   * update would not see the new row). Neither happens in steady state: a saga's first append
   * waits for its creation, and pruning is only on with event sourcing off.
   */
  private static boolean canWriteAtOnce(List<Op> ops, List<Op> creates) {
    Set<String> created = creates.isEmpty() ? Set.of() : new HashSet<>();
    for (Op op : creates) {
      created.add(op.sagaId());
    }
    for (Op op : ops) {
      if (op.append != null && (op.append.pruneToSnapshot() || created.contains(op.sagaId()))) {
        return false;
      }
    }
    return true;
  }

  /** The batch as one statement, then the commit. */
  private void writeAtOnce(Connection c, List<Op> creates, Collection<Group> groups) throws SQLException {
    List<SagaRecord> records = new ArrayList<>(creates.size());
    List<SagaEvent> createEvents = new ArrayList<>(creates.size());
    for (Op op : creates) {
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
      for (Op op : g.ops) {
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
    for (Op op : creates) {
      succeed(op);
    }
    int k = 0;
    for (Group g : groups) {
      boolean ok = applied.contains(fences.get(k++));
      for (Op op : g.ops) {
        if (ok) {
          succeed(op);
        } else {
          fail(op, new SagaLeaseLostException(op.sagaId(), op.append.epoch()));
        }
      }
    }
  }

  /** The writes of one saga at one epoch within a batch. */
  private static final class Group {
    final List<Op> ops = new ArrayList<>(2);
    SagaStatus status;
    long lastSeq;
    long updatedAt;
    boolean releaseLease;

    void add(Op op) {
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

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = dataSource.getConnection();
    }
    return connection;
  }

  private void rollbackQuietly() {
    if (connection != null) {
      try {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException ignored) {
        // the connection is replaced below if it is broken
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
  }

  private void succeed(Op op) {
    complete(op, null);
  }

  private void fail(Op op, Throwable t) {
    op.failed = true;
    complete(op, t);
  }

  private void complete(Op op, Throwable t) {
    Runnable r =
        callbackGate.counted(
            t == null ? () -> op.future.complete(null) : () -> op.future.completeExceptionally(t));
    try {
      callbacks.execute(r);
    } catch (RuntimeException e) {
      r.run();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Finishes the queued writes, then stops the thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(Op.STOP);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Op {
    static final Op STOP = new Op(null, List.of(), null);

    final SagaRecord record;
    final List<SagaEvent> events;
    final SagaAppend append;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    boolean failed; // set on the writer thread, before the future completes elsewhere

    Op(SagaRecord record, List<SagaEvent> events, SagaAppend append) {
      this.record = record;
      this.events = events;
      this.append = append;
    }

    String sagaId() {
      return record != null ? record.sagaId() : append.sagaId();
    }

    long lastSeq() {
      return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }
  }
}
