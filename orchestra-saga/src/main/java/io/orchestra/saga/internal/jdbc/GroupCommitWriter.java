package io.orchestra.saga.internal.jdbc;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SqlDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

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
 * CallbackGate}) for those completions to run, so the writes they issue join the next batch.
 *
 * <p>This class owns the queue, the batching and the thread's life; the pieces, all confined to
 * the writer thread but for the submission count, are {@link BatchCommitter} (the retries and the
 * connection), {@link FencedCommit} (the transaction) and {@link Completions} (the futures).
 * {@link #create} and {@link #append} may be called from any thread; a saga's writes keep their
 * order because they go through the one queue. Not public API.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private final int maxBatch;
  private final LinkedBlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private final Completions done;
  private final BatchCommitter committer;
  private final long commitWaitNanos;

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
    this.maxBatch = maxBatch;
    this.done = new Completions(callbacks);
    this.committer =
        new BatchCommitter(
            dataSource, new FencedCommit(dialect, done), done, scheduler, random, backoff, () -> closed);
    this.commitWaitNanos = commitWaitNanos;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the creation of a saga. */
  public CompletableFuture<Void> create(SagaRecord record, List<SagaEvent> events) {
    return submit(new WriteOp(record, events, null));
  }

  /** Queues a fenced append. */
  public CompletableFuture<Void> append(SagaAppend append) {
    return submit(new WriteOp(null, append.events(), append));
  }

  /** Whether nothing is queued or being written (for tests that wait for quiet). */
  public boolean isIdle() {
    return done.isIdle();
  }

  private CompletableFuture<Void> submit(WriteOp op) {
    if (closed) {
      return CompletableFuture.failedFuture(new SagaJournalException("saga journal is closed"));
    }
    done.submitted();
    queue.add(op);
    return op.future;
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>(maxBatch);
    while (true) {
      WriteOp first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        break;
      }
      if (first == WriteOp.STOP) {
        break;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      boolean stop = batch.remove(WriteOp.STOP);
      try {
        committer.process(batch);
      } catch (RuntimeException | Error e) {
        for (WriteOp op : batch) {
          if (!op.completed) { // part of the batch may have been stored and completed already
            done.fail(op, new SagaJournalException("saga journal writer failed: " + e, e));
          }
        }
      }
      batch.clear();
      if (stop) {
        break;
      }
      if (queue.size() < maxBatch) {
        // Let the sagas just committed queue their next writes, so they ride in the next commit.
        done.awaitCallbacks(commitWaitNanos);
      }
    }
    WriteOp left;
    while ((left = queue.poll()) != null) {
      if (left != WriteOp.STOP) {
        done.fail(left, new SagaJournalException("saga journal is closed"));
      }
    }
    committer.closeConnection();
  }

  /** Finishes the queued writes, then stops the thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(WriteOp.STOP);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
