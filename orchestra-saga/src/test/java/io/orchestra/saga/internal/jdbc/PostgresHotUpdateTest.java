package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SqlDialect;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Pg;
import io.orchestra.saga.testing.Script;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Whether a step's row update of {@code orchestra_saga} is a heap-only tuple (HOT) update on
 * PostgreSQL: it is when no indexed column changes and the page has room. The same sagas run on
 * a version-1 schema (where {@code updated_at} is indexed, so no step update can be HOT) and on
 * the current one, and the table's update counters are compared.
 */
class PostgresHotUpdateTest {
  static final int SAGAS = 200;
  static final List<String> STEPS = List.of("reserve", "charge", "notify", "ship");

  /** Updates and HOT updates of {@code orchestra_saga}. */
  record Updates(long all, long hot) {
    double hotShare() {
      return all == 0 ? 0 : (double) hot / all;
    }
  }

  @Test
  @DisplayName("on schema v2 nearly every step's row update is HOT; on v1 none is (the same sagas)")
  void stepUpdatesAreHot() throws Exception {
    Updates v1 = run(Pg.database("saga_hot_v1"), 1);
    // Whether a page has room for a row's new version depends on the old versions being
    // reclaimed, and a version cannot be while an older transaction runs: the other writer's, an
    // autovacuum ANALYZE's. On a loaded host one such stall cost a third of the HOT updates once
    // (CI: 417 of 600), so v2 gets up to three runs and the best counts. A schema that makes step
    // updates non-HOT (v1: 0 % every run) or a full page (fillfactor 100: 10-31 %) fails all three.
    List<Updates> v2Runs = new ArrayList<>();
    Updates v2 = null;
    for (int attempt = 0; attempt < 3 && (v2 == null || keptStatusHotShare(v2) <= 0.7); attempt++) {
      Updates next = run(Pg.database("saga_hot_v2"), Schema.VERSION);
      v2Runs.add(next);
      if (v2 == null || keptStatusHotShare(next) > keptStatusHotShare(v2)) {
        v2 = next;
      }
    }
    System.out.printf(
        "orchestra_saga updates for %d sagas of %d steps: v1 %d (%d HOT, %.1f%%), v2 runs %s%n",
        SAGAS, STEPS.size(), v1.all(), v1.hot(), 100 * v1.hotShare(), v2Runs);
    // At least one fenced update a step (a step's start and end, and the next step's start,
    // share a group commit when the step is quick), the last one with the final status.
    assertThat(v1.all()).isGreaterThanOrEqualTo((long) SAGAS * STEPS.size());
    assertThat(v2.all()).isGreaterThanOrEqualTo((long) SAGAS * STEPS.size());
    assertThat(v1.hotShare()).as("HOT share on v1 (%s)", v1).isLessThan(0.05);
    // The last update of each saga changes its status (indexed) and releases its lease, so it
    // cannot be HOT; every other one can, when its page has room. Measured 85-99.8 % in a run; a
    // fillfactor of 80 gives about 55 %, of 100 at most a third.
    assertThat(keptStatusHotShare(v2))
        .as("best HOT share of the updates that keep the status, on v2 (runs %s)", v2Runs)
        .isGreaterThan(0.7);
  }

  /** The HOT share of the updates before each saga's last one (which changes its status). */
  static double keptStatusHotShare(Updates updates) {
    return (double) updates.hot() / (updates.all() - SAGAS);
  }

  /** Runs {@link #SAGAS} sagas on a fresh schema at {@code version}; the table's update counts. */
  static Updates run(DataSource db, int version) throws Exception {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot, orchestra_saga_schema");
      Schema.migrate(c, SqlDialect.POSTGRESQL, version);
    }
    VirtualTime time = new VirtualTime();
    Script script = new Script(new Ledger());
    SagaDefinition<OrderData> def = script.definition("order", STEPS);
    try (JdbcSagaJournal journal = JdbcSagaJournal.builder(db).migrate(false).callbackExecutor(Harness.DIRECT).build();
        SagaOrchestrator node =
            SagaOrchestrator.builder()
                .nodeId("hot")
                .config(SagaConfig.defaults())
                .journal(journal)
                .ticker(time)
                .clock(new TickingClock())
                .scheduler(time)
                .random(RandomSource.seeded(7))
                .executor(Harness.DIRECT)
                .build()) {
      List<CompletableFuture<SagaResult<OrderData>>> results = new ArrayList<>();
      for (int i = 0; i < SAGAS; i++) {
        results.add(node.execute(def, OrderData.of("o-" + i, i)).result().toCompletableFuture());
      }
      for (CompletableFuture<SagaResult<OrderData>> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS).status()).isEqualTo(SagaStatus.COMPLETED);
      }
    } // closing ends the journal's sessions, which send their table statistics
    return settledUpdates(db, (long) SAGAS * STEPS.size());
  }

  /**
   * The counters once the statistics collector has them all (PostgreSQL 14 has no {@code
   * pg_stat_force_next_flush()}; a session sends what is left when it ends, asynchronously): read
   * until at least {@code atLeast} updates are counted and three reads 100 ms apart agree.
   */
  static Updates settledUpdates(DataSource db, long atLeast) throws SQLException, InterruptedException {
    Updates last = null;
    int same = 0;
    for (int i = 0; i < 200 && same < 3; i++) {
      Thread.sleep(100); // the statistics collector is asynchronous
      Updates now = updates(db);
      same = now.equals(last) && now.all() >= atLeast ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  static Updates updates(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'orchestra_saga'")) {
        return rs.next() ? new Updates(rs.getLong(1), rs.getLong(2)) : new Updates(0, 0);
      }
    }
  }

  /**
   * A wall clock that moves 1 ms every time it is read, so that every event has a new time (and
   * every step a new {@code updated_at}), as steps that take a millisecond or more do in production.
   */
  static final class TickingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long millis() {
      return millis.incrementAndGet();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }
}
