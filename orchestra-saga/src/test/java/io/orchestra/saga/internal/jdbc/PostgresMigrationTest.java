package io.orchestra.saga.internal.jdbc;

import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static io.orchestra.saga.testing.Script.Behavior.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.DeadLetter;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaExecution;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SqlDialect;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Killable;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Pg;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Schema version 1 to 2 on a real PostgreSQL, with sagas in every state in the journal. */
class PostgresMigrationTest {

  static SagaConfig config() {
    return Harness.takeoverConfig();
  }

  /** The definitions of the test, on {@code h}'s script. */
  static List<SagaDefinition<OrderData>> definitions(Harness h) {
    return List.of(
        h.script.definition("order", List.of("reserve", "charge", "ship")),
        h.script.definition("refund", List.of("pack", "bill", "post")),
        h.script.definition("audit", List.of("look", "judge")));
  }

  static void freshAt(DataSource db, int version) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot, orchestra_saga_schema");
      Schema.migrate(c, SqlDialect.POSTGRESQL, version);
    }
  }

  @Test
  @DisplayName("8 nodes start on a v1 journal with finished, running, compensating and parked sagas: one migrates, every row is kept, the running ones are claimed and finish")
  void fromVersion1WithSagas() throws Exception {
    DataSource db = Pg.database("saga_from_v1");
    freshAt(db, 1);
    Map<String, String> sagas = new TreeMap<>(); // id -> what it is
    String parkedId;
    try (JdbcSagaJournal v1 = JdbcSagaJournal.builder(db).migrate(false).callbackExecutor(Harness.DIRECT).build()) {
      Harness h = new Harness(v1);
      Killable a = new Killable(v1, h.time);
      SagaOrchestrator nodeA = h.node("a", config(), a);
      nodeA.start();
      List<SagaDefinition<OrderData>> defs = definitions(h);
      SagaExecution<OrderData> done = nodeA.execute(defs.get(0), OrderData.of("o-1", 1));
      assertThat(h.await(done.result()).status()).isEqualTo(SagaStatus.COMPLETED);
      h.script.set("judge", REJECT).set("look/compensate", REJECT);
      SagaExecution<OrderData> parked = nodeA.execute(defs.get(2), OrderData.of("o-2", 2));
      assertThat(h.await(parked.result()).status()).isEqualTo(SagaStatus.COMPENSATION_FAILED);
      h.script.set("charge", HANG);
      SagaExecution<OrderData> running = nodeA.execute(defs.get(0), OrderData.of("o-3", 3));
      h.script.set("bill", REJECT).set("pack/compensate", HANG);
      SagaExecution<OrderData> compensating = nodeA.execute(defs.get(1), OrderData.of("o-4", 4));
      h.advance(Duration.ofSeconds(1));
      a.kill(); // node a dies with two sagas in flight
      parkedId = parked.sagaId();
      sagas.put(done.sagaId(), "completed");
      sagas.put(parked.sagaId(), "parked");
      sagas.put(running.sagaId(), "running");
      sagas.put(compensating.sagaId(), "compensating");
    }
    assertThat(statuses(db)).containsOnlyKeys(sagas.keySet()).containsValues("COMPLETED", "COMPENSATION_FAILED", "RUNNING", "COMPENSATING");
    List<String> before = dump(db);
    Map<String, String> files = relations(db);

    List<JdbcSagaJournal> opened = startTogether(db, 8);
    JdbcSagaJournal v2 = opened.remove(0);
    opened.forEach(JdbcSagaJournal::close);
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM orchestra_saga_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(2);
    }
    assertThat(dump(db)).as("every row of the three tables, before and after").isEqualTo(before);
    Map<String, String> rebuilt = relations(db);
    for (String table : List.of("orchestra_saga", "orchestra_saga_event", "orchestra_saga_snapshot")) {
      assertThat(rebuilt.get(table)).as("the file of " + table + " (not rewritten)").isEqualTo(files.get(table));
      assertThat(rebuilt.get(table + "_pkey")).as("the file of " + table + "_pkey (rebuilt)").isNotEqualTo(files.get(table + "_pkey"));
    }
    assertThat(rebuilt.get("orchestra_saga_claim")).as("the claim index (untouched)").isEqualTo(files.get("orchestra_saga_claim"));
    assertThat(collations(db))
        .containsEntry("orchestra_saga.saga_id", "C")
        .containsEntry("orchestra_saga.definition_name", "C")
        .containsEntry("orchestra_saga.definition_key", "C")
        .containsEntry("orchestra_saga.owner_node", "C")
        .containsEntry("orchestra_saga_event.saga_id", "C")
        .containsEntry("orchestra_saga_snapshot.saga_id", "C");

    try {
      Harness h = new Harness(v2);
      h.time.advance(Duration.ofSeconds(1));
      SagaOrchestrator nodeB = h.node("b", config(), new Killable(v2, h.time));
      definitions(h).forEach(nodeB::register);
      nodeB.start();
      h.advance(Duration.ofSeconds(45)); // past node a's leases: the recovery scan claims them
      for (Map.Entry<String, String> s : sagas.entrySet()) {
        SagaStatus expected =
            switch (s.getValue()) {
              case "completed" -> SagaStatus.COMPLETED;
              case "parked" -> SagaStatus.COMPENSATION_FAILED;
              case "running" -> SagaStatus.COMPLETED;
              default -> SagaStatus.COMPENSATED;
            };
        assertThat(nodeB.getSagaStatus(s.getKey()).status()).as(s.getValue() + " saga " + s.getKey()).isEqualTo(expected);
      }
      for (Map.Entry<String, String> s : sagas.entrySet()) {
        long epoch = v2.load(s.getKey()).orElseThrow().record().epoch();
        boolean claimed = s.getValue().equals("running") || s.getValue().equals("compensating");
        assertThat(epoch).as("epoch of the " + s.getValue() + " saga").isEqualTo(claimed ? 2 : 1);
      }
      // the status listing (its index was rebuilt) still finds the parked saga
      assertThat(nodeB.deadLetters(10)).extracting(DeadLetter::sagaId).containsOnly(parkedId);
      nodeB.close();
    } finally {
      v2.close();
    }
  }

  @Test
  @DisplayName("a running node keeps writing while another node migrates the schema under it (its prepared statements' result types change)")
  void oldNodeKeepsWritingAcrossTheMigration() throws Exception {
    DataSource db = Pg.database("saga_from_v1_live");
    freshAt(db, 1);
    try (JdbcSagaJournal old = JdbcSagaJournal.builder(db).migrate(false).callbackExecutor(Harness.DIRECT).build()) {
      Harness h = new Harness(old);
      SagaOrchestrator node = h.node("old", config());
      SagaDefinition<OrderData> def = h.script.definition("order", List.of("reserve", "charge", "ship"));
      // Often enough that the driver has prepared the journal's statements on the server.
      List<String> first = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        SagaExecution<OrderData> run = node.execute(def, OrderData.of("a-" + i, i));
        assertThat(h.await(run.result()).status()).isEqualTo(SagaStatus.COMPLETED);
        first.add(run.sagaId());
      }
      assertThat(node.deadLetters(10)).isEmpty();
      try (Connection c = db.getConnection()) {
        assertThat(Schema.migrate(c, SqlDialect.POSTGRESQL)).isEqualTo(1);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(h.await(node.execute(def, OrderData.of("b-" + i, i)).result()).status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(node.getSagaStatus(first.get(i)).status()).isEqualTo(SagaStatus.COMPLETED);
      }
      assertThat(node.deadLetters(10)).isEmpty();
      node.close();
    }
  }

  private static List<JdbcSagaJournal> startTogether(DataSource db, int nodes) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    List<Future<?>> done = new ArrayList<>();
    List<JdbcSagaJournal> opened = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < nodes; i++) {
      done.add(pool.submit(() -> {
        start.await();
        opened.add(JdbcSagaJournal.builder(db).callbackExecutor(Harness.DIRECT).build());
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return opened;
  }

  private static Map<String, String> statuses(DataSource db) throws SQLException {
    return pairs(db, "SELECT saga_id, status FROM orchestra_saga");
  }

  /** Every row of the journal's tables as text, in key order. */
  private static List<String> dump(DataSource db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT s::text FROM orchestra_saga s ORDER BY saga_id COLLATE \"C\"",
              "SELECT e::text FROM orchestra_saga_event e ORDER BY saga_id COLLATE \"C\", seq",
              "SELECT n::text FROM orchestra_saga_snapshot n ORDER BY saga_id COLLATE \"C\"")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            rows.add(rs.getString(1));
          }
        }
      }
    }
    assertThat(rows).hasSizeGreaterThan(20);
    return rows;
  }

  /** Each table's and index's file (relfilenode): a rewrite or rebuild gives it a new one. */
  private static Map<String, String> relations(DataSource db) throws SQLException {
    return pairs(db, "SELECT relname, relfilenode FROM pg_class WHERE relname LIKE 'orchestra_saga%'");
  }

  /** table.column -> collation, for the journal's columns with an explicit collation. */
  private static Map<String, String> collations(DataSource db) throws SQLException {
    return pairs(
        db,
        "SELECT table_name || '.' || column_name, collation_name FROM information_schema.columns"
            + " WHERE table_name LIKE 'orchestra_saga%' AND collation_name IS NOT NULL");
  }

  /** The first two columns of {@code sql}'s rows, as a map. */
  private static Map<String, String> pairs(DataSource db, String sql) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }
}
