package io.orchestra.saga;

import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Killable;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Pg;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Takeover between nodes and a database outage, on a real PostgreSQL. */
class PostgresRecoveryTest {

  static SagaConfig config() {
    return Harness.takeoverConfig();
  }

  @Test
  @DisplayName("a node dies mid-step; a second node claims the saga from PostgreSQL and finishes it, same keys")
  void takeoverOnPostgres() {
    DataSource db = Pg.database("saga_recovery");
    Pg.truncate(db);
    try (JdbcSagaJournal journal = JdbcSagaJournal.builder(db).callbackExecutor(Harness.DIRECT).build()) {
      Harness h = new Harness(journal);
      Killable a = new Killable(journal, h.time);
      SagaOrchestrator nodeA = node(h, "a", a);
      nodeA.start();
      SagaDefinition<OrderData> def = h.script.definition("order", List.of("reserve", "charge", "ship"));
      h.script.set("charge", HANG);
      SagaExecution<OrderData> run = nodeA.execute(def, OrderData.of("o-1", 3));
      h.advance(Duration.ofSeconds(1));
      a.kill();
      h.script.heal("charge");

      SagaOrchestrator nodeB = node(h, "b", new Killable(journal, h.time));
      nodeB.register(def).start();
      h.advance(Duration.ofSeconds(40));
      SagaResult<?> result = h.await(nodeB.result(run.sagaId()));
      assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(h.ledger.calls(run.sagaId(), "charge", false))
          .extracting(Ledger.Call::key)
          .containsExactly(run.sagaId() + "/charge", run.sagaId() + "/charge");
      assertThat(h.ledger.effects()).containsExactly("reserve", "charge", "ship");
      assertThat(journal.load(run.sagaId()).orElseThrow().record().epoch()).isEqualTo(2);
      nodeB.close();
    }
  }

  static SagaOrchestrator node(Harness h, String id, Killable view) {
    return h.node(id, config(), view);
  }

  @Test
  @DisplayName("the database goes away mid-saga: the saga waits, resumes when it is back, and loses nothing")
  void databaseGoesAway() throws Exception {
    Path data = Files.createTempDirectory("orchestra-saga-pg");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres pg = start(data, port);
    DataSource db = pg.getPostgresDatabase();
    JdbcSagaJournal journal =
        JdbcSagaJournal.builder(db)
            .callbackExecutor(Harness.DIRECT)
            .reconnectBackoff(Backoff.fixed(Duration.ofMillis(50)))
            .build();
    Harness h = new Harness(journal);
    SagaOrchestrator node = h.node("a", config());
    CompletableFuture<OrderData> gate = new CompletableFuture<>();
    AtomicBoolean asked = new AtomicBoolean();
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("outage", OrderData.class)
            .step("one", s -> s.invoke(ctx -> ctx.data().visit("one")))
            .step("two", s -> s.action(ctx -> {
              asked.set(true);
              return gate.thenApply(x -> ctx.data().visit("two"));
            }))
            .step("three", s -> s.invoke(ctx -> ctx.data().visit("three")))
            .build();
    SagaExecution<OrderData> run = node.execute(def, OrderData.of("o-2", 1));
    h.settle();
    assertThat(asked).isTrue();

    pg.close(); // the database goes away
    gate.complete(null); // step two finishes while it is down
    SagaExecution<OrderData> second = node.execute(def, OrderData.of("o-3", 1), "started-while-down");
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(50_000_000); // real I/O is failing; give the writer time to retry
    }
    assertThat(run.result().toCompletableFuture()).isNotDone();
    assertThat(second.result().toCompletableFuture()).isNotDone();
    assertThat(journal.isIdle()).isFalse();

    pg = start(data, port); // back
    try {
      SagaResult<OrderData> r1 = h.await(run.result());
      assertThat(r1.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(r1.data().visited()).containsExactly("one", "two", "three");
      assertThat(h.await(second.result()).status()).isEqualTo(SagaStatus.COMPLETED);
      List<SagaEvent> events = journal.history(run.sagaId());
      assertThat(events).extracting(SagaEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(node.getSagaStatus("started-while-down").status()).isEqualTo(SagaStatus.COMPLETED);
    } finally {
      node.close();
      journal.close();
      pg.close();
    }
  }

  static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
