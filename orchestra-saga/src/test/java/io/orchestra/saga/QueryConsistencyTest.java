package io.orchestra.saga;

import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static io.orchestra.saga.testing.Script.Behavior.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.StoredSaga;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Pg;
import io.orchestra.saga.testing.Script;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public read of the saga module while other threads start sagas that complete, compensate
 * or park, an operator retries parked ones and a second node takes over expired leases: each read
 * must describe one state of the saga (or journal), never a mix of two, and never throw. On the
 * in-memory, PostgreSQL and embedded H2 journals. Virtual time; steps run on the thread that drives
 * them; bounded iterations, latch start.
 */
class QueryConsistencyTest {
  static final List<String> STEPS = List.of("a", "b", "c");
  static final int WRITERS = 3;
  static final int PER_WRITER = 24;
  static final int READERS = 3;
  static final int READS = 400;

  @TempDir Path dir;
  SagaJournal journal;
  Harness h;
  SagaOrchestrator nodeA;
  SagaOrchestrator nodeB;
  ExecutorService pool;

  final CountDownLatch readersDone = new CountDownLatch(READERS);
  final CountDownLatch writersDone = new CountDownLatch(WRITERS);
  final List<String> ids = new CopyOnWriteArrayList<>();
  final List<String> parkIds = new CopyOnWriteArrayList<>();
  final List<String> hangIds = new CopyOnWriteArrayList<>();

  SagaDefinition<OrderData> ok;
  SagaDefinition<OrderData> undo;
  SagaDefinition<OrderData> park;
  SagaDefinition<OrderData> hangOnA;

  static SagaConfig config() {
    return SagaConfig.builder()
        .execution(
            ExecutionConfig.builder()
                .timeout(Duration.ofHours(1))
                .stepTimeout(Duration.ofMinutes(10))
                .maxRetries(0)
                .retryBackoff(Backoff.fixed(Duration.ofMillis(1)))
                .build())
        .compensation(
            CompensationConfig.builder()
                .compensationRetries(0)
                .compensationTimeout(Duration.ofMinutes(10))
                .build())
        .recovery(
            RecoveryConfig.builder()
                .leaseDuration(Duration.ofSeconds(30))
                .leaseRenewInterval(Duration.ofSeconds(10))
                .recoveryInterval(Duration.ofSeconds(5))
                .build())
        .persistence(PersistenceConfig.builder().snapshotInterval(2).build())
        .build();
  }

  void open(String kind) {
    if (kind.equals("postgres")) {
      var db = Pg.database("saga_query_consistency");
      Pg.truncate(db);
      journal = JdbcSagaJournal.builder(db).callbackExecutor(Harness.DIRECT).build();
    } else if (kind.equals("embedded")) { // H2: the reader needs its SNAPSHOT level (docs/saga.md)
      journal = EmbeddedSagaJournal.open(dir, b -> b.callbackExecutor(Harness.DIRECT));
    } else {
      journal = InMemorySagaJournal.create();
    }
    h = new Harness(journal);
    Ledger ledger = h.ledger;
    ok = new Script(ledger).definition("ok", STEPS);
    undo = new Script(ledger).set("c", REJECT).definition("undo", STEPS);
    park = parkingDefinition();
    hangOnA = new Script(ledger).set("b", HANG).definition("hang", STEPS);
    nodeA = h.node("node-a", config());
    nodeB = h.node("node-b", config());
    nodeB.register(new Script(ledger).definition("hang", STEPS)); // b completes on node B
    pool = Executors.newFixedThreadPool(WRITERS + READERS + 2);
  }

  /**
   * Steps a, b, c: c is rejected, then both compensations fail for good, so the saga parks with
   * dead letters a and b. The compensation of a fails a moment later (on a timer thread), which
   * keeps an operator's retry of it in flight long enough for readers to meet it.
   */
  static SagaDefinition<OrderData> parkingDefinition() {
    var later = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
    return SagaDefinition.builder("park", OrderData.class)
        .step("a", s -> s
            .action(ctx -> CompletableFuture.completedFuture(ctx.data().visit("a")))
            .compensation(ctx -> CompletableFuture.runAsync(() -> {
              throw new NonRetriableStepException("a/compensate rejected");
            }, later)))
        .step("b", s -> s
            .action(ctx -> CompletableFuture.completedFuture(ctx.data().visit("b")))
            .compensation(ctx -> CompletableFuture.failedFuture(new NonRetriableStepException("b/compensate rejected"))))
        .step("c", s -> s
            .action(ctx -> CompletableFuture.failedFuture(new NonRetriableStepException("c rejected")))
            .compensation(ctx -> CompletableFuture.completedFuture(null)))
        .build();
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    h.settle();
    nodeA.close();
    nodeB.close();
    journal.close();
  }

  /** Writers (ok, undo, park, hang round robin), an operator retrying parked sagas, a takeover. */
  List<Callable> writers(CountDownLatch start) {
    List<Callable> out = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      out.add(() -> {
        start.await();
        try {
          for (int i = 0; i < PER_WRITER; i++) {
            SagaDefinition<OrderData> d = switch (i % 4) {
              case 0 -> ok;
              case 1 -> undo;
              case 2 -> park;
              default -> hangOnA;
            };
            String id = nodeA.execute(d, OrderData.of(writer + "-" + i, i)).sagaId();
            ids.add(id);
            if (d == park) {
              parkIds.add(id);
            } else if (d == hangOnA) {
              hangIds.add(id);
            }
          }
        } finally {
          writersDone.countDown();
        }
      });
    }
    out.add(() -> { // the operator: retries the compensation of "a" on parked sagas, which fails again
      start.await();
      for (int n = 0; n < 20_000 && readersDone.getCount() > 0; n++) {
        String id = anyId(parkIds);
        try {
          nodeA.retry(id, "a");
        } catch (SagaStateException | SagaNotFoundException expected) {
          // running right now, or not parked yet: fine
        }
      }
    });
    out.add(() -> { // the takeover: node A stops renewing; node B claims its hung sagas
      start.await();
      writersDone.await(60, TimeUnit.SECONDS);
      h.time.advance(Duration.ofSeconds(31));
      nodeB.recoverNow();
    });
    return out;
  }

  interface Callable extends java.util.concurrent.Callable<Object> {
    void body() throws Exception;

    @Override
    default Object call() throws Exception {
      body();
      return null;
    }
  }

  void run(CountDownLatch start, List<Callable> tasks) throws Exception {
    List<Future<Object>> futures = new ArrayList<>();
    for (Callable c : tasks) {
      futures.add(pool.submit(c));
    }
    start.countDown();
    for (Future<Object> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  /** A reader: waits for the start, then runs {@code reads}; counts down when done. */
  void reader(CountDownLatch start, Callable reads) throws Exception {
    try {
      start.await();
      reads.body();
    } finally {
      readersDone.countDown();
    }
  }

  String anyId(List<String> from) {
    while (from.isEmpty()) {
      Thread.onSpinWait();
    }
    return from.get(ThreadLocalRandom.current().nextInt(from.size()));
  }

  // ---------------------------------------------------------------- getSagaStatus, result

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"in-memory", "postgres", "embedded"})
  @DisplayName("getSagaStatus and result describe one state of the saga while it runs, ends, parks and moves")
  void statusAndResult(String kind) throws Exception {
    open(kind);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable> tasks = writers(start);
    for (int r = 0; r < READERS; r++) {
      int reader = r;
      tasks.add(() -> reader(start, () -> {
        for (int i = 0; i < READS; i++) {
          String id = anyId(ids);
          SagaOrchestrator node = reader == 0 && i % 2 == 0 ? nodeB : nodeA;
          SagaInfo info = node.getSagaStatus(id);
          if (node == nodeB && info.status() == SagaStatus.NOT_FOUND) {
            continue; // node B reads the journal, where the create may still be queued
          }
          checkInfo(id, info);
          if (node == nodeA) {
            CompletableFuture<SagaResult<?>> f = nodeA.result(id).toCompletableFuture();
            if (f.isDone() && !f.isCompletedExceptionally()) {
              checkResult(f.join());
            }
          }
        }
      }));
    }
    run(start, tasks);
    assertThat(ids).hasSize(WRITERS * PER_WRITER);
  }

  static void checkInfo(String id, SagaInfo info) {
    assertThat(info.sagaId()).isEqualTo(id);
    assertThat(info.status()).as("%s", info).isNotEqualTo(SagaStatus.NOT_FOUND);
    assertThat(info.totalSteps()).isEqualTo(STEPS.size());
    assertThat(info.steps()).extracting(StepInfo::name).as("%s", info).containsExactlyElementsOf(STEPS);
    assertThat(info.steps()).extracting(StepInfo::index).containsExactly(0, 1, 2);
    long completed = info.steps().stream().filter(s -> s.status() == StepStatus.COMPLETED).count();
    assertThat(info.completedSteps()).as("%s", info).isEqualTo((int) completed);
    assertThat(info.active()).as("%s", info).isEqualTo(info.status().isActive());
    Set<String> dead = new HashSet<>();
    for (DeadLetter d : info.deadLetters()) {
      assertThat(dead.add(d.stepName())).as("dead letter listed twice: %s", info).isTrue();
      assertThat(info.steps().get(d.stepIndex()).compensation()).isEqualTo(CompensationStatus.FAILED);
    }
    switch (info.status()) {
      case COMPLETED -> {
        assertThat(completed).as("%s", info).isEqualTo(STEPS.size());
        assertThat(info.deadLetters()).isEmpty();
        assertThat(info.finishedAt()).isNotNull();
      }
      case COMPENSATED -> {
        assertThat(info.finishedAt()).isNotNull();
        assertThat(info.steps())
            .filteredOn(s -> s.status() == StepStatus.COMPLETED)
            .as("%s", info)
            .allMatch(s -> s.compensation() == CompensationStatus.COMPENSATED);
      }
      case COMPENSATION_FAILED -> {
        assertThat(info.finishedAt()).isNotNull();
        assertThat(info.deadLetters()).as("%s", info).isNotEmpty();
      }
      case RUNNING -> assertThat(info.steps())
          .as("%s", info)
          .allMatch(s -> s.compensation() == CompensationStatus.NONE);
      default -> {}
    }
  }

  static void checkResult(SagaResult<?> r) {
    switch (r.status()) {
      case COMPLETED, COMPENSATED -> assertThat(r.deadLetters()).as("%s", r).isEmpty();
      case COMPENSATION_FAILED -> assertThat(r.deadLetters()).as("%s", r).isNotEmpty();
      default -> assertThat(r.status().isActive()).as("%s", r).isFalse();
    }
    assertThat(new HashSet<>(r.deadLetters())).hasSameSizeAs(r.deadLetters());
  }

  // ---------------------------------------------------------------- deadLetters

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"in-memory", "postgres", "embedded"})
  @DisplayName("deadLetters lists each parked saga with the dead letters of one parked state")
  void deadLetters(String kind) throws Exception {
    open(kind);
    int reads = kind.equals("in-memory") ? READS : 60; // each read is a find and a load per saga
    CountDownLatch start = new CountDownLatch(1);
    List<Callable> tasks = writers(start);
    for (int r = 0; r < READERS; r++) {
      tasks.add(() -> reader(start, () -> {
        writersDone.await(60, TimeUnit.SECONDS); // every park saga started: the operator is busy
        for (int i = 0; i < reads; i++) {
          Map<String, List<String>> bySaga = new HashMap<>();
          for (DeadLetter d : nodeA.deadLetters(1000)) {
            assertThat(d.kind()).isEqualTo(DeadLetter.Kind.COMPENSATION);
            bySaga.computeIfAbsent(d.sagaId(), k -> new ArrayList<>()).add(d.stepName());
          }
          for (Map.Entry<String, List<String>> e : bySaga.entrySet()) {
            // Every parked state of a "park" saga has both compensations failed; retrying "a"
            // fails it again. Only "b" means "a" was read while being retried: not parked.
            assertThat(parkIds).contains(e.getKey());
            assertThat(e.getValue()).as("dead letters of %s", e.getKey()).containsExactly("a", "b");
          }
        }
      }));
    }
    run(start, tasks);
  }

  // ---------------------------------------------------------------- the journal's reads

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"in-memory", "postgres", "embedded"})
  @DisplayName("load, history and find return one state of the journal")
  void journalReads(String kind) throws Exception {
    open(kind);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable> tasks = writers(start);
    for (int r = 0; r < READERS; r++) {
      int reader = r;
      tasks.add(() -> reader(start, () -> {
        for (int i = 0; i < READS; i++) {
          String id = anyId(ids);
          switch ((reader + i) % 3) {
            case 0 -> {
              Optional<StoredSaga> stored = journal.load(id);
              stored.ifPresent(s -> checkStored(id, s));
            }
            case 1 -> {
              List<SagaEvent> history = journal.history(id);
              for (int k = 0; k < history.size(); k++) {
                assertThat(history.get(k).seq()).as("history of %s", id).isEqualTo(k + 1);
                assertThat(history.get(k).sagaId()).isEqualTo(id);
              }
            }
            default -> {
              Set<SagaStatus> wanted =
                  EnumSet.of(SagaStatus.RUNNING, SagaStatus.COMPENSATING, SagaStatus.COMPENSATION_FAILED);
              List<SagaRecord> found = journal.find(wanted, 50);
              assertThat(found.size()).isLessThanOrEqualTo(50);
              Set<String> seen = new HashSet<>();
              long previous = Long.MIN_VALUE;
              for (SagaRecord rec : found) {
                assertThat(wanted).contains(rec.status());
                assertThat(seen.add(rec.sagaId())).as("listed twice: %s", rec).isTrue();
                assertThat(rec.updatedAtMillis()).isGreaterThanOrEqualTo(previous);
                previous = rec.updatedAtMillis();
              }
            }
          }
        }
      }));
    }
    run(start, tasks);
  }

  static void checkStored(String id, StoredSaga s) {
    assertThat(s.record().sagaId()).isEqualTo(id);
    long after = s.snapshot() == null ? 0 : s.snapshot().seq();
    for (int k = 0; k < s.events().size(); k++) {
      assertThat(s.events().get(k).seq()).as("%s", s).isEqualTo(after + k + 1);
    }
    long last = s.events().isEmpty() ? after : s.events().get(s.events().size() - 1).seq();
    assertThat(s.record().lastSeq()).as("row and events of %s", id).isEqualTo(last);
  }
}
