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
import java.io.PrintWriter;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a writer accounts for a batch whose processing fails after part of it was completed. */
class GroupCommitWriterFailureTest {

  @Test
  @DisplayName("a writer whose retry wait fails after part of a batch was stored completes each write once and is idle again")
  void writerFailure_afterPartOfTheBatchCompleted_completesEachWriteOnce() throws Exception {
    String url = "jdbc:h2:mem:gcw-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      Schema.migrate(c, SqlDialect.H2);
    }
    // Commit 1 (z, alone: the writer waits for a connection until a and b are queued) succeeds;
    // commit 2 (the batch of a and b) fails for good, so the writer retries write by write;
    // commit 3 (a alone) succeeds; commit 4 (b alone) fails as if the database went away, and the
    // wait before the retry is refused by a scheduler that has been shut down.
    AtomicInteger commits = new AtomicInteger();
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    DataSource ds = new ScriptedDataSource(url, commits, connecting, queued);
    Scheduler shutDown =
        (task, delayNanos) -> {
          throw new RejectedExecutionException("scheduler shut down");
        };
    AtomicInteger completions = new AtomicInteger();
    GroupCommitWriter writer =
        new GroupCommitWriter(
            ds,
            64,
            r -> {
              completions.incrementAndGet();
              r.run();
            },
            shutDown,
            RandomSource.system(),
            Backoff.fixed(Duration.ofMillis(10)),
            SqlDialect.H2,
            0,
            "test-writer");
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
      // The count drops just after each completion is handed over: wait for it, briefly.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!writer.isIdle() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(writer.isIdle()).as("idle once every write is completed").isTrue();
      assertThat(completions.get()).as("completions handed to the callback executor").isEqualTo(3);
    } finally {
      writer.close();
    }
  }

  @Test
  @DisplayName("a write whose completion the callback executor refuses with an Error is failed once, and the writer is idle again")
  void callbackExecutorError_completesTheWriteOnce() throws Exception {
    String url = "jdbc:h2:mem:gcw-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      Schema.migrate(c, SqlDialect.H2);
    }
    DataSource ds = new ScriptedDataSource(url, new AtomicInteger(100), new CountDownLatch(1), new CountDownLatch(0));
    AtomicInteger handOvers = new AtomicInteger();
    GroupCommitWriter writer =
        new GroupCommitWriter(
            ds,
            64,
            r -> {
              if (handOvers.incrementAndGet() == 1) {
                throw new OutOfMemoryError("unable to create native thread");
              }
              r.run();
            },
            (task, delayNanos) -> {
              throw new RejectedExecutionException("not used");
            },
            RandomSource.system(),
            Backoff.fixed(Duration.ofMillis(10)),
            SqlDialect.H2,
            0,
            "test-writer");
    try {
      CompletableFuture<Void> z = writer.create(record("z"), List.of(first("z")));

      assertThat(z).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .withCauseInstanceOf(SagaJournalException.class);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!writer.isIdle() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(writer.isIdle()).as("idle once every write is completed").isTrue();
      assertThat(handOvers.get()).isEqualTo(2);
    } finally {
      writer.close();
    }
  }

  private static SagaRecord record(String id) {
    return new SagaRecord(id, "order", 1, SagaStatus.RUNNING, "n", 1, 5000, 1, 1000, 1000);
  }

  private static SagaEvent first(String id) {
    return new SagaEvent(id, 1, SagaEventType.SAGA_STARTED, 1000, -1, 0, null, "{}", null);
  }

  /** H2 connections whose commits fail as scripted; getting one waits until a and b are queued. */
  private static final class ScriptedDataSource implements DataSource {
    private final String url;
    private final AtomicInteger commits;
    private final CountDownLatch connecting;
    private final CountDownLatch queued;

    ScriptedDataSource(String url, AtomicInteger commits, CountDownLatch connecting, CountDownLatch queued) {
      this.url = url;
      this.commits = commits;
      this.connecting = connecting;
      this.queued = queued;
    }

    @Override
    public Connection getConnection() throws SQLException {
      connecting.countDown();
      try {
        queued.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Connection real = DriverManager.getConnection(url);
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
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
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
