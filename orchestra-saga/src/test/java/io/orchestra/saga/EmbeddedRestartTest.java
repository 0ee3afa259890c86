package io.orchestra.saga;

import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Script;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded journal keeps a single node's sagas across a restart of that node. */
class EmbeddedRestartTest {
  @TempDir Path dir;

  @Test
  @DisplayName("a node restarted on the same H2 directory and node id resumes its sagas at once")
  void restartResumes() {
    Ledger ledger = new Ledger();
    Script script = new Script(ledger).set("ship", HANG);
    SagaDefinition<OrderData> def = script.definition("order", List.of("reserve", "charge", "ship"));

    JdbcSagaJournal first = EmbeddedSagaJournal.open(dir, b -> b.callbackExecutor(Harness.DIRECT));
    Harness h1 = new Harness(first);
    SagaOrchestrator before = h1.node("solo", SagaConfig.defaults());
    SagaExecution<OrderData> run = before.execute(def, OrderData.of("o-1", 9));
    h1.advance(Duration.ofSeconds(1));
    assertThat(before.getSagaStatus(run.sagaId()).completedSteps()).isEqualTo(2);
    first.close(); // the process goes down with "ship" in flight; the orchestrator never closes

    script.heal("ship");
    JdbcSagaJournal second = EmbeddedSagaJournal.open(dir, b -> b.callbackExecutor(Harness.DIRECT));
    Harness h2 = new Harness(second);
    SagaOrchestrator after = h2.node("solo", SagaConfig.defaults());
    after.register(def);
    assertThat(after.start()).isEqualTo(1); // its own saga, no waiting for the lease
    SagaResult<?> result = h2.await(after.result(run.sagaId()));
    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(((OrderData) result.data()).visited()).containsExactly("reserve", "charge", "ship");
    assertThat(ledger.calls(run.sagaId(), "reserve", false)).hasSize(1);
    assertThat(ledger.calls(run.sagaId(), "ship", false)).extracting(Ledger.Call::key)
        .containsExactly(run.sagaId() + "/ship", run.sagaId() + "/ship");
    after.close();
    second.close();
  }

  @Test
  @DisplayName("an orchestrator built without a journal uses the embedded one in its directory")
  void defaultJournalIsEmbedded() {
    Path journalDir = dir.resolve("default");
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("tiny", OrderData.class).step("a", s -> s.invoke(c -> c.data().visit("a"))).build();
    String id;
    try (SagaOrchestrator o = SagaOrchestrator.builder().nodeId("d").embeddedDirectory(journalDir).build()) {
      id = o.execute(def, OrderData.of("x", 1)).result().toCompletableFuture().join().sagaId();
    }
    try (SagaOrchestrator o = SagaOrchestrator.builder().nodeId("d").embeddedDirectory(journalDir).build()) {
      SagaInfo info = o.getSagaStatus(id);
      assertThat(info.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(info.fromMemory()).isFalse();
    }
  }
}
