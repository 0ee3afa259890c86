package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Pg;
import io.orchestra.saga.testing.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 8 threads start sagas at once (latch) on one orchestrator with a real thread pool and real time;
 * some fail and compensate in parallel. Every saga ends as scripted, journals are gap-free, and
 * every effect is applied once.
 */
class ConcurrencyTest {

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"in-memory", "postgres"})
  void eightThreadsAtOnce(String kind) throws Exception {
    SagaJournal journal;
    if (kind.equals("postgres")) {
      DataSource db = Pg.database("saga_concurrency");
      Pg.truncate(db);
      journal = JdbcSagaJournal.postgres(db);
    } else {
      journal = InMemorySagaJournal.create();
    }
    Ledger ledger = new Ledger();
    Script script = new Script(ledger);
    List<String> steps = List.of("a", "b", "c", "d");
    SagaDefinition<OrderData> ok = script.definition("ok", steps);
    Script failing = new Script(ledger).set("c", Script.Behavior.REJECT);
    SagaDefinition<OrderData> bad = failing.definition("bad", steps);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    SagaOrchestrator node =
        SagaOrchestrator.builder()
            .nodeId("c")
            .journal(journal)
            .executor(pool)
            .config(SagaConfig.builder()
                .execution(ExecutionConfig.builder().retryBackoff(Backoff.fixed(Duration.ofMillis(1))).build())
                .build())
            .build();
    int threads = 8;
    int perThread = 40;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    List<Future<List<SagaExecution<OrderData>>>> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      started.add(callers.submit(() -> {
        start.await();
        List<SagaExecution<OrderData>> mine = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          mine.add(node.execute(i % 4 == 0 ? bad : ok, OrderData.of(thread + "-" + i, i)));
        }
        return mine;
      }));
    }
    start.countDown();
    List<SagaExecution<OrderData>> all = new ArrayList<>();
    for (Future<List<SagaExecution<OrderData>>> f : started) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    CompletableFuture.allOf(all.stream().map(e -> e.result().toCompletableFuture()).toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);

    int compensated = 0;
    for (SagaExecution<OrderData> e : all) {
      SagaResult<OrderData> r = e.join();
      boolean shouldFail = Integer.parseInt(r.data().orderId().split("-")[1]) % 4 == 0;
      assertThat(r.status()).isEqualTo(shouldFail ? SagaStatus.COMPENSATED : SagaStatus.COMPLETED);
      compensated += shouldFail ? 1 : 0;
      List<SagaEvent> history = journal.history(e.sagaId());
      for (int i = 0; i < history.size(); i++) {
        assertThat(history.get(i).seq()).isEqualTo(i + 1);
      }
      for (String s : shouldFail ? List.of("a", "b") : steps) {
        assertThat(ledger.requests(e.sagaId() + "/" + s)).isEqualTo(1);
      }
      if (shouldFail) {
        assertThat(ledger.requests(e.sagaId() + "/a/compensate")).isEqualTo(1);
        assertThat(ledger.requests(e.sagaId() + "/b/compensate")).isEqualTo(1);
      }
    }
    assertThat(all).hasSize(threads * perThread);
    assertThat(compensated).isEqualTo(threads * perThread / 4);
    assertThat(node.activeSagas()).isZero();
    node.close();
    journal.close();
    pool.shutdown();
    callers.shutdown();
  }
}
