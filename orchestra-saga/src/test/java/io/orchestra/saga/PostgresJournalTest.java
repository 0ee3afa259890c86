package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.LeaseRef;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Pg;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JDBC journal's own guarantees on a real PostgreSQL: claims, fencing, leases, migration. */
class PostgresJournalTest {
  static DataSource db;
  JdbcSagaJournal journal;

  @BeforeAll
  static void database() {
    db = Pg.database("saga_journal");
  }

  @BeforeEach
  void open() {
    Pg.truncate(db);
    journal = JdbcSagaJournal.builder(db).callbackExecutor(Harness.DIRECT).build();
  }

  @AfterEach
  void close() {
    journal.close();
  }

  static SagaRecord record(String id, String owner, long leaseUntil) {
    return new SagaRecord(id, "order", 1, SagaStatus.RUNNING, owner, 1, leaseUntil, 1, 1000, 1000);
  }

  static SagaEvent event(String id, long seq, SagaEventType type) {
    return new SagaEvent(id, seq, type, 1000 + seq, seq > 1 ? 0 : -1, 0, null, "{}", seq == 1 ? "{\"definition\":\"order\",\"version\":1,\"steps\":[\"a\"],\"deadline\":0,\"node\":\"a\"}" : null);
  }

  @Test
  @DisplayName("8 nodes claiming at once with SKIP LOCKED never claim one saga twice")
  void concurrentClaimsAreDisjoint() throws Exception {
    List<CompletableFuture<Void>> creates = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String id = "s-" + i;
      creates.add(journal.create(record(id, "dead", 500), List.of(event(id, 1, SagaEventType.SAGA_STARTED))).toCompletableFuture());
    }
    CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<SagaRecord>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String node = "n" + t;
      results.add(
          pool.submit(
              () -> {
                List<SagaRecord> mine = new ArrayList<>();
                try (JdbcSagaJournal own = JdbcSagaJournal.builder(db).migrate(false).build()) {
                  start.await();
                  while (true) {
                    List<SagaRecord> got = own.claimExpired(node, Set.of("order@1"), 1000, 99_000, 7, false);
                    if (got.isEmpty()) {
                      return mine;
                    }
                    mine.addAll(got);
                  }
                }
              }));
    }
    start.countDown();
    List<String> all = new ArrayList<>();
    Set<String> nodesThatClaimed = new HashSet<>();
    for (Future<List<SagaRecord>> f : results) {
      for (SagaRecord r : f.get(60, TimeUnit.SECONDS)) {
        all.add(r.sagaId());
        nodesThatClaimed.add(r.ownerNode());
        assertThat(r.epoch()).isEqualTo(2);
        assertThat(r.leaseExpiresAtMillis()).isEqualTo(99_000);
      }
    }
    pool.shutdown();
    assertThat(all).hasSize(240).doesNotHaveDuplicates();
    assertThat(nodesThatClaimed.size()).isGreaterThan(1);
    assertThat(journal.load("s-7").orElseThrow().record().epoch()).isEqualTo(2);
  }

  @Test
  @DisplayName("a write at a stale epoch is refused and stores nothing; its neighbours in the batch are stored")
  void fencing() throws Exception {
    journal.create(record("f-1", "a", 500), List.of(event("f-1", 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get();
    journal.create(record("f-2", "a", 500), List.of(event("f-2", 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get();
    assertThat(journal.claimExpired("b", Set.of("order@1"), 1000, 5000, 1, false))
        .extracting(SagaRecord::sagaId)
        .containsExactly("f-1");

    var stale = journal.append(new SagaAppend("f-1", 1, List.of(event("f-1", 2, SagaEventType.STEP_STARTED)), null, null, false, false)).toCompletableFuture();
    var fine = journal.append(new SagaAppend("f-2", 1, List.of(event("f-2", 2, SagaEventType.STEP_STARTED)), null, null, false, false)).toCompletableFuture();
    assertThatThrownBy(() -> stale.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SagaLeaseLostException.class);
    fine.get(10, TimeUnit.SECONDS);
    assertThat(journal.history("f-1")).hasSize(1);
    assertThat(journal.history("f-2")).hasSize(2);
    journal.append(new SagaAppend("f-1", 2, List.of(event("f-1", 2, SagaEventType.STEP_STARTED)), null, null, false, false)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(journal.load("f-1").orElseThrow().record().lastSeq()).isEqualTo(2);
  }

  @Test
  @DisplayName("leases: renewal reports lost ones; acquire takes only free, expired or own leases; a final status releases")
  void leases() throws Exception {
    journal.create(record("l-1", "a", 5000), List.of(event("l-1", 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get();
    assertThat(journal.renewLeases(List.of(new LeaseRef("l-1", 1), new LeaseRef("nope", 1)), 9000)).containsExactly("nope");
    assertThat(journal.acquire("l-1", "b", 6000, 20_000)).isEmpty();
    assertThat(journal.acquire("l-1", "a", 6000, 20_000)).get().extracting(SagaRecord::epoch).isEqualTo(2L);
    assertThat(journal.renewLeases(List.of(new LeaseRef("l-1", 1)), 30_000)).containsExactly("l-1");
    journal.append(new SagaAppend("l-1", 2, List.of(event("l-1", 2, SagaEventType.SAGA_COMPLETED)), SagaStatus.COMPLETED, null, false, false)).toCompletableFuture().get();
    SagaRecord done = journal.load("l-1").orElseThrow().record();
    assertThat(done.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(done.ownerNode()).isNull();
    assertThat(done.leaseExpiresAtMillis()).isZero();
    assertThat(journal.claimExpired("c", Set.of("order@1"), Long.MAX_VALUE, 1, 10, true)).isEmpty();
    assertThat(journal.find(Set.of(SagaStatus.COMPLETED), 10)).extracting(SagaRecord::sagaId).containsExactly("l-1");
  }

  @Test
  @DisplayName("schema migration is idempotent and safe when 8 nodes start at once")
  void concurrentMigration() throws Exception {
    DataSource fresh = Pg.database("saga_migration");
    try (var c = fresh.getConnection(); var st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot, orchestra_saga_schema");
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    List<JdbcSagaJournal> opened = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      done.add(pool.submit(() -> {
        start.await();
        opened.add(JdbcSagaJournal.builder(fresh).build());
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    opened.forEach(JdbcSagaJournal::close);
    try (var c = fresh.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM orchestra_saga_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(io.orchestra.saga.internal.jdbc.Schema.VERSION);
    }
  }

  @Test
  @DisplayName("a write the database refuses for good fails alone; the writes around it are stored")
  void permanentFailureIsIsolated() throws Exception {
    for (String id : List.of("p-1", "p-2", "p-3")) {
      journal.create(record(id, "a", 5000), List.of(event(id, 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get();
    }
    SagaEvent tooLong = new SagaEvent("p-2", 2, SagaEventType.STEP_FAILED, 1, 0, 0, "X".repeat(100), null, "boom");
    var a = journal.append(new SagaAppend("p-1", 1, List.of(event("p-1", 2, SagaEventType.STEP_STARTED)), null, null, false, false)).toCompletableFuture();
    var b = journal.append(new SagaAppend("p-2", 1, List.of(tooLong), null, null, false, false)).toCompletableFuture();
    var c = journal.append(new SagaAppend("p-3", 1, List.of(event("p-3", 2, SagaEventType.STEP_STARTED)), null, null, false, false)).toCompletableFuture();
    a.get(10, TimeUnit.SECONDS);
    c.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> b.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SagaJournalException.class)
        .hasMessageContaining("value too long");
    assertThat(journal.history("p-1")).hasSize(2);
    assertThat(journal.history("p-2")).hasSize(1);
    assertThat(journal.load("p-2").orElseThrow().record().lastSeq()).isEqualTo(1);
    assertThat(journal.history("p-3")).hasSize(2);
  }

  @Test
  @DisplayName("with several writers every saga's writes are stored, in order, and snapshots are replaced")
  void severalWritersStoreEverySagaInOrder() throws Exception {
    try (JdbcSagaJournal three = JdbcSagaJournal.builder(db).writers(3).callbackExecutor(Harness.DIRECT).build()) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String id = "w-" + i;
        three.create(record(id, "a", 5000), List.of(event(id, 1, SagaEventType.SAGA_STARTED))).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      for (long seq = 2; seq <= 6; seq++) {
        for (int i = 0; i < 60; i++) {
          String id = "w-" + i;
          var snapshot = new io.orchestra.saga.journal.SagaSnapshot(id, seq, "{\"seq\":" + seq + "}", 1000 + seq);
          // Issued without waiting: the journal alone keeps each saga's writes in order.
          writes.add(three.append(new SagaAppend(id, 1, List.of(event(id, seq, SagaEventType.STEP_STARTED)), null, snapshot, false, false)).toCompletableFuture());
        }
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 60; i++) {
        var stored = three.load("w-" + i).orElseThrow();
        assertThat(stored.record().lastSeq()).isEqualTo(6);
        assertThat(stored.snapshot().seq()).isEqualTo(6);
        assertThat(stored.snapshot().state()).isEqualTo("{\"seq\":6}");
        assertThat(three.history("w-" + i)).extracting(SagaEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      }
    }
  }

  @Test
  @DisplayName("a writer count outside 1..16 is refused, naming the field")
  void writerCountIsValidated() {
    assertThatThrownBy(() -> JdbcSagaJournal.builder(db).writers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writers");
    assertThatThrownBy(() -> JdbcSagaJournal.builder(db).writers(17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writers");
  }

  @Test
  @DisplayName("a commit wait outside 0..1s is refused, naming the field")
  void commitWaitIsValidated() {
    assertThatThrownBy(() -> JdbcSagaJournal.builder(db).commitWait(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commitWait");
    assertThatThrownBy(() -> JdbcSagaJournal.builder(db).commitWait(java.time.Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commitWait");
  }
}
