package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SqlDialect;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a writer accounts for writes when processing a batch fails past its retry logic. */
class GroupCommitWriterFailureTest {
  /** A scheduler that has been shut down: the wait before a reconnect is refused. */
  private static final Scheduler SHUT_DOWN =
      (task, delayNanos) -> {
        throw new RejectedExecutionException("scheduler shut down");
      };

  @Test
  @DisplayName("a writer whose retry wait fails after part of a batch was stored completes each write once and is idle again")
  void writerFailure_afterPartOfTheBatchCompleted_completesEachWriteOnce() throws Exception {
    // Commit 1 (z, alone: the writer waits for a connection until a and b are queued) succeeds;
    // commit 2 (the batch of a and b) fails for good, so the writer retries write by write;
    // commit 3 (a alone) succeeds; commit 4 (b alone) fails as if the database went away, and the
    // wait before the retry is refused.
    AtomicInteger commits = new AtomicInteger();
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    AtomicInteger completions = new AtomicInteger();
    GroupCommitWriter writer =
        writer(
            scripted(h2(), commits, connecting, queued),
            r -> {
              completions.incrementAndGet();
              r.run();
            });
    try {
      CompletableFuture<Void> z = writer.create(record("z"), List.of(first("z")));
      assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue(); // z is taken, alone
      CompletableFuture<Void> a = writer.create(record("a"), List.of(first("a")));
      CompletableFuture<Void> b = writer.create(record("b"), List.of(first("b")));
      queued.countDown(); // both are queued: the writer takes them as one batch

      assertThat(z.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(a.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(b).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .withCauseInstanceOf(SagaJournalException.class);
      assertThat(commits.get()).isEqualTo(4);
      awaitIdle(writer);
      assertThat(completions.get()).as("completions handed to the callback executor").isEqualTo(3);
    } finally {
      writer.close();
    }
  }

  @Test
  @DisplayName("a write whose completion the callback executor refuses with an Error is failed once, and the writer is idle again")
  void callbackExecutorError_completesTheWriteOnce() throws Exception {
    AtomicInteger handOvers = new AtomicInteger();
    GroupCommitWriter writer =
        writer(
            scripted(h2(), new AtomicInteger(100), new CountDownLatch(1), new CountDownLatch(0)),
            r -> {
              if (handOvers.incrementAndGet() == 1) {
                throw new OutOfMemoryError("unable to create native thread");
              }
              r.run();
            });
    try {
      CompletableFuture<Void> z = writer.create(record("z"), List.of(first("z")));

      assertThat(z).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .withCauseInstanceOf(SagaJournalException.class);
      awaitIdle(writer);
      assertThat(handOvers.get()).isEqualTo(2);
    } finally {
      writer.close();
    }
  }

  @Test
  @DisplayName("after the callback executor throws an Error at a hand-over, the next batch is not held for the commit wait")
  void callbackExecutorError_laterBatchesAreNotHeld() throws Exception {
    AtomicInteger handOvers = new AtomicInteger();
    // An hour's commit wait: a count the Error left behind would hold the writer that long after
    // each batch, so only a gate that is quiet again lets the next write through.
    GroupCommitWriter writer =
        writer(
            scripted(h2(), new AtomicInteger(100), new CountDownLatch(1), new CountDownLatch(0)),
            r -> {
              if (handOvers.incrementAndGet() == 1) {
                throw new StackOverflowError("thrown at the hand-over");
              }
              r.run();
            },
            TimeUnit.HOURS.toNanos(1));
    try {
      CompletableFuture<Void> z = writer.create(record("z"), List.of(first("z")));
      assertThat(z).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .havingCause().isInstanceOf(SagaJournalException.class)
          .withCauseInstanceOf(StackOverflowError.class); // reported, as other failures are
      awaitIdle(writer);

      CompletableFuture<Void> y = writer.create(record("y"), List.of(first("y")));
      assertThat(y.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(handOvers.get()).isEqualTo(3);
    } finally {
      writer.close();
    }
  }

  @Test
  @DisplayName("an AssertionError at a hand-over after the commit completes each write of the batch once")
  void callbackExecutorAssertionError_afterTheCommit_completesEachWriteOnce() throws Exception {
    // z alone first, so a and b are queued and taken as one batch; a's completion is handed over,
    // b's hand-over throws an AssertionError, which the committer takes for a driver's failure.
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    AtomicInteger handOvers = new AtomicInteger();
    GroupCommitWriter writer =
        writer(
            scripted(h2(), new AtomicInteger(100), connecting, queued),
            r -> {
              if (handOvers.incrementAndGet() == 3) {
                throw new AssertionError("thrown at the hand-over");
              }
              r.run();
            });
    try {
      CompletableFuture<Void> z = writer.create(record("z"), List.of(first("z")));
      assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> a = writer.create(record("a"), List.of(first("a")));
      CompletableFuture<Void> b = writer.create(record("b"), List.of(first("b")));
      queued.countDown();

      assertThat(z.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(a.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(b).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .withCauseInstanceOf(SagaJournalException.class);
      awaitIdle(writer); // a completed twice would drive the in-flight count below zero
      assertThat(handOvers.get()).as("z, a, b (thrown), b failed").isEqualTo(4);
    } finally {
      writer.close();
    }
  }

  private static GroupCommitWriter writer(DataSource ds, Executor callbacks) {
    return writer(ds, callbacks, 0);
  }

  private static GroupCommitWriter writer(DataSource ds, Executor callbacks, long commitWaitNanos) {
    return new GroupCommitWriter(
        ds, 64, callbacks, SHUT_DOWN, RandomSource.system(), Backoff.fixed(Duration.ofMillis(10)), SqlDialect.H2,
        commitWaitNanos, "test-writer");
  }

  /** The count drops just after each completion is handed over: waits for it, briefly. */
  private static void awaitIdle(GroupCommitWriter writer) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!writer.isIdle() && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(writer.isIdle()).as("idle once every write is completed").isTrue();
  }

  /** A new in-memory H2 database with the journal's schema. */
  private static String h2() throws SQLException {
    String url = "jdbc:h2:mem:gcw-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      Schema.migrate(c, SqlDialect.H2);
    }
    return url;
  }

  private static SagaRecord record(String id) {
    return new SagaRecord(id, "order", 1, SagaStatus.RUNNING, "n", 1, 5000, 1, 1000, 1000);
  }

  private static SagaEvent first(String id) {
    return new SagaEvent(id, 1, SagaEventType.SAGA_STARTED, 1000, -1, 0, null, "{}", null);
  }

  /**
   * Connections to {@code url} whose commits fail as scripted (the 2nd for good, the 4th as if the
   * database went away); getting one counts {@code connecting} down, then waits for {@code queued}.
   */
  private static DataSource scripted(
      String url, AtomicInteger commits, CountDownLatch connecting, CountDownLatch queued) {
    return proxy(
        DataSource.class,
        (dsProxy, dsMethod, dsArgs) -> {
          if (!dsMethod.getName().equals("getConnection")) {
            throw new UnsupportedOperationException(dsMethod.getName());
          }
          connecting.countDown();
          queued.await(10, TimeUnit.SECONDS);
          Connection real = DriverManager.getConnection(url);
          return proxy(
              Connection.class,
              (proxy, method, args) -> {
                if (method.getName().equals("commit")) {
                  int n = commits.incrementAndGet();
                  if (n == 2) {
                    throw new SQLException("refused for good", "42000");
                  }
                  if (n == 4) {
                    throw new SQLTransientConnectionException("database went away", "08006");
                  }
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        });
  }

  private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
