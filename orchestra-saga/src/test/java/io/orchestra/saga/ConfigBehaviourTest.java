package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switches of the seed's configuration that change behaviour rather than numbers. */
class ConfigBehaviourTest {
  @TempDir Path dir;

  @Test
  @DisplayName("compensation disabled: a failed saga ends FAILED and nothing is undone")
  void compensationDisabled() {
    Harness h = new Harness(InMemorySagaJournal.create());
    SagaOrchestrator node =
        h.node("n", SagaConfig.builder().compensation(CompensationConfig.builder().enabled(false).build()).build());
    h.script.set("charge", Script.Behavior.REJECT);
    SagaExecution<OrderData> run =
        node.execute(h.script.definition("order", List.of("reserve", "charge")), OrderData.of("o", 1));
    SagaResult<OrderData> result = h.await(run.result());
    assertThat(result.status()).isEqualTo(SagaStatus.FAILED);
    assertThat(result.deadLetters()).isEmpty();
    assertThat(result.error()).contains("charge rejected");
    assertThat(result.failedStep()).isEqualTo("charge");
    assertThat(h.ledger.calls(run.sagaId(), "reserve", true)).isEmpty();
  }

  @Test
  @DisplayName("persistence disabled: an in-memory journal, no files, status still answered")
  void persistenceDisabled() throws Exception {
    Path journalDir = dir.resolve("never-created");
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("tiny", OrderData.class).step("a", s -> s.invoke(c -> c.data().visit("a"))).build();
    try (SagaOrchestrator o =
        SagaOrchestrator.builder()
            .nodeId("mem")
            .embeddedDirectory(journalDir)
            .executor(Harness.DIRECT)
            .config(SagaConfig.builder().persistence(PersistenceConfig.builder().enabled(false).build()).build())
            .build()) {
      SagaResult<OrderData> r = o.execute(def, OrderData.of("x", 1)).join();
      assertThat(r.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(o.getSagaStatus(r.sagaId()).status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(o.start()).isZero(); // nothing to recover, no timers
    }
    assertThat(Files.exists(journalDir)).isFalse();
  }
}
