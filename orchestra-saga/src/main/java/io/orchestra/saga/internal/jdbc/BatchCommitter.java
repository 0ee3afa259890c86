package io.orchestra.saga.internal.jdbc;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Timeouts;
import io.orchestra.saga.SagaAlreadyExistsException;
import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.journal.SagaRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees one batch of a {@link GroupCommitWriter} through to an outcome for every write in it, and
 * owns the writer's connection. A transient failure (the database going away, see {@link
 * SqlErrors#isTransient}) keeps the batch, drops the connection and retries with backoff until
 * the database is back or the writer is closed, checking first on the new connection which writes
 * the interrupted commit did store; a permanent failure of a batch is retried write by write, so
 * one bad write cannot fail its neighbours (nor let a later write of the same saga skip past it).
 * The transaction itself is {@link FencedCommit}'s.
 *
 * <p>Runs only on the writer thread, which is the only one to touch the connection; the backoff
 * blocks that thread (the queue fills meanwhile and is taken as the next batch). Logs under {@link
 * GroupCommitWriter}'s name. Not public API.
 */
final class BatchCommitter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final DataSource dataSource;
  private final FencedCommit commit;
  private final Completions done;
  private final Scheduler scheduler;
  private final RandomSource random;
  private final Backoff backoff;
  private final BooleanSupplier closed;
  private Connection connection;

  BatchCommitter(
      DataSource dataSource,
      FencedCommit commit,
      Completions done,
      Scheduler scheduler,
      RandomSource random,
      Backoff backoff,
      BooleanSupplier closed) {
    this.dataSource = dataSource;
    this.commit = commit;
    this.done = done;
    this.scheduler = scheduler;
    this.random = random;
    this.backoff = backoff;
    this.closed = closed;
  }

  /** Stores {@code batch}, or fails the writes that cannot be stored; completes every one. */
  void process(List<WriteOp> batch) {
    List<WriteOp> pending = batch;
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
        commit.write(c, pending);
        return;
      } catch (SQLException | RuntimeException | AssertionError thrown) {
        // Drivers may throw unchecked errors when the connection dies mid-call (PostgreSQL's
        // batch handler asserts); judge those like SQL errors, by whether the connection lives.
        SQLException e =
            thrown instanceof SQLException s ? s : new SQLException(thrown.toString(), null, thrown);
        Sql.rollbackQuietly(connection);
        // An AssertionError may also come from the callback executor, at a completion's hand-over
        // after the commit: the writes completed before it are done, and retrying them would
        // complete them twice (and count them out of the in-flight count twice).
        pending = open(pending);
        if (pending.isEmpty()) {
          return;
        }
        if (SqlErrors.isTransient(e, connection)) {
          if (closed.getAsBoolean()) {
            for (WriteOp op : pending) {
              done.fail(op, new SagaJournalException("saga journal closed while the database was unavailable", e));
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
          for (WriteOp op : pending) {
            if (broken.contains(op.sagaId())) {
              done.fail(op, new SagaJournalException("an earlier write of saga " + op.sagaId() + " failed", e));
              continue;
            }
            process(List.of(op));
            if (op.failed) {
              broken.add(op.sagaId());
            }
          }
          return;
        }
        WriteOp op = pending.get(0);
        if (op.record != null && SqlErrors.isDuplicateKey(e)) {
          done.fail(op, new SagaAlreadyExistsException(op.record.sagaId()));
        } else {
          done.fail(op, new SagaJournalException("saga journal write failed: " + e.getMessage(), e));
        }
        return;
      }
    }
  }

  /** The writes of {@code ops} not yet completed. */
  private static List<WriteOp> open(List<WriteOp> ops) {
    for (WriteOp op : ops) {
      if (op.completed) {
        List<WriteOp> left = new ArrayList<>(ops.size());
        for (WriteOp o : ops) {
          if (!o.completed) {
            left.add(o);
          }
        }
        return left;
      }
    }
    return ops; // the usual case: a failure before the commit, nothing completed
  }

  /** Drops (and completes) the writes an interrupted commit did store. */
  private List<WriteOp> withoutApplied(Connection c, List<WriteOp> ops) throws SQLException {
    List<WriteOp> left = new ArrayList<>(ops.size());
    c.setAutoCommit(true);
    try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_SAGA)) {
      for (WriteOp op : ops) {
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
          done.succeed(op);
        } else {
          left.add(op);
        }
      }
    }
    return left;
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = dataSource.getConnection();
    }
    return connection;
  }

  /** Closes the connection, if any (the next batch opens a new one). */
  void closeConnection() {
    Sql.closeQuietly(connection);
    connection = null;
  }
}
