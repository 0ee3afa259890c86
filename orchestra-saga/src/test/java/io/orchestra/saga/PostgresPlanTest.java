package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Pg;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plans of the group commit on PostgreSQL. The writers' statements are prepared once per
 * connection, and after five runs PostgreSQL keeps a generic plan for them; a plan made while the
 * tables were small (a fresh install, a truncated table, before the first analyze) scanned the
 * whole saga table in every later commit however big it grew.
 */
class PostgresPlanTest {

  @Test
  @DisplayName("group commits on a fresh, never analyzed table find the saga rows by key, never by scanning the table")
  void commitsNeverScanTheSagaTable() throws Exception {
    DataSource db = Pg.database("saga_plans");
    JdbcSagaJournal.builder(db).build().close(); // the schema, whose index builds scan the table
    Pg.truncate(db);
    long[] before = scans(db);
    for (int i = 0; i < 300 && before[0] == 0; i++) { // up to 30 s: a loaded host delays the collector
      Thread.sleep(100); // the statistics collector is asynchronous
      before = scans(db);
    }
    int commits = 40;
    try (JdbcSagaJournal journal = JdbcSagaJournal.builder(db).writers(1).callbackExecutor(Harness.DIRECT).build()) {
      journal.create(record("p-1"), List.of(event("p-1", 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (int seq = 2; seq < 2 + commits; seq++) {
        // One at a time: each is its own commit, so the statement is run often enough to be
        // planned generically.
        journal
            .append(new SagaAppend("p-1", 1, List.of(event("p-1", seq, SagaEventType.STEP_STARTED)), null, null, false, false))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
    } // closing ends the writer's session, which sends its table statistics
    long[] after = before;
    for (int i = 0; i < 300 && after[0] + after[1] - before[0] - before[1] < commits; i++) {
      Thread.sleep(100); // the statistics collector is asynchronous
      after = scans(db);
    }
    assertThat(after[0] + after[1] - before[0] - before[1])
        .as("scans of orchestra_saga (sequential + index) during %d fenced commits", commits)
        .isGreaterThanOrEqualTo(commits);
    assertThat(after[0] - before[0]).as("sequential scans of orchestra_saga").isZero();
  }

  @Test
  @DisplayName("no setting outlives a writer's transaction on its connection (pools and transaction-pooling proxies reuse them)")
  void settingsStayInTheTransaction() throws Exception {
    DataSource db = Pg.database("saga_plans");
    Pg.truncate(db);
    List<Connection> physical = new CopyOnWriteArrayList<>();
    DataSource pool =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("getConnection")) {
                    return method.invoke(db, args);
                  }
                  Connection real = db.getConnection();
                  physical.add(real);
                  // Like a pool: close() gives the connection back instead of ending the session.
                  return Proxy.newProxyInstance(
                      getClass().getClassLoader(),
                      new Class<?>[] {Connection.class},
                      (p, m, a) -> m.getName().equals("close") ? null : invoke(m, real, a));
                });
    try (JdbcSagaJournal journal = JdbcSagaJournal.builder(pool).writers(2).callbackExecutor(Harness.DIRECT).build()) {
      for (int i = 0; i < 8; i++) {
        String id = "c-" + i;
        journal.create(record(id), List.of(event(id, 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      for (int i = 0; i < 3000 && !journal.isIdle(); i++) { // up to 30 s on a loaded host
        Thread.sleep(10); // the last completion has run; the writer counts it done just after
      }
      assertThat(journal.isIdle()).isTrue();
      // Between two commits: behind a transaction-pooling proxy another client's transaction
      // could run on this server session now.
      assertThat(physical).hasSizeGreaterThanOrEqualTo(3); // the reader and both writers
      for (Connection c : physical) {
        assertThat(seqscan(c)).isEqualTo("on");
      }
    }
    for (Connection c : physical) {
      assertThat(seqscan(c)).isEqualTo("on");
      c.close();
    }
  }

  private static String seqscan(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW enable_seqscan")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Sequential and index scans of {@code orchestra_saga} so far. */
  private static long[] scans(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'orchestra_saga'")) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
      }
    }
  }

  private static SagaRecord record(String id) {
    return new SagaRecord(id, "order", 1, SagaStatus.RUNNING, "a", 1, 5000, 1, 1000, 1000);
  }

  private static SagaEvent event(String id, long seq, SagaEventType type) {
    return new SagaEvent(
        id, seq, type, 1000 + seq, seq > 1 ? 0 : -1, 0, null, "{}",
        seq == 1 ? "{\"definition\":\"order\",\"version\":1,\"steps\":[\"a\"],\"deadline\":0,\"node\":\"a\"}" : null);
  }
}
