package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.saga.internal.StateCodec;
import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For any saga run (random length, failure point and kind, compensation failures, snapshot
 * interval, sequential or parallel): the journal is gap-free, the state rebuilt from the latest
 * snapshot plus the later events equals the state replayed from every event, and the outcome is
 * the one the script implies.
 */
class SnapshotReplayProperties {

  @Property(tries = 150)
  void snapshotPlusTailEqualsFullReplay(
      @ForAll @IntRange(min = 1, max = 6) int steps,
      @ForAll @IntRange(min = -1, max = 5) int failAt,
      @ForAll @IntRange(min = 0, max = 4) int transientFailures,
      @ForAll @IntRange(min = 0, max = 63) int failingCompensations,
      @ForAll @IntRange(min = 1, max = 4) int snapshotInterval,
      @ForAll boolean parallel) {
    Harness h = new Harness(InMemorySagaJournal.create());
    SagaConfig config =
        SagaConfig.builder()
            .execution(ExecutionConfig.builder().maxRetries(2).retryBackoff(Backoff.fixed(Duration.ofMillis(10))).build())
            .compensation(CompensationConfig.builder()
                .parallelCompensation(parallel)
                .compensationBackoff(Backoff.fixed(Duration.ofMillis(10)))
                .build())
            .persistence(PersistenceConfig.builder().snapshotInterval(snapshotInterval).build())
            .build();
    SagaOrchestrator node = h.node("p", config);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      names.add("s" + i);
    }
    int failing = failAt >= steps ? -1 : failAt;
    if (failing >= 0) {
      h.script.set(names.get(failing), Script.Behavior.REJECT);
    }
    boolean anyCompensationFails = false;
    for (int i = 0; i < steps; i++) {
      if ((failingCompensations & (1 << i)) != 0) {
        h.script.set(names.get(i) + "/compensate", Script.Behavior.FAIL);
        anyCompensationFails |= failing > i;
      }
    }
    h.script.failTimes(names.get(0), transientFailures); // > 2 exhausts the retries
    boolean firstFails = transientFailures > 2;

    SagaExecution<OrderData> run = node.execute(h.script.definition("prop", names), OrderData.of("x", 1));
    SagaResult<OrderData> result = h.await(run.result(), Duration.ofMinutes(5));

    SagaStatus expected;
    if (firstFails) {
      expected = SagaStatus.COMPENSATED; // nothing completed before the first step
    } else if (failing < 0) {
      expected = SagaStatus.COMPLETED;
    } else {
      expected = anyCompensationFails ? SagaStatus.COMPENSATION_FAILED : SagaStatus.COMPENSATED;
    }
    assertThat(result.status()).isEqualTo(expected);

    List<SagaEvent> history = h.journal.history(run.sagaId());
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).seq()).isEqualTo(i + 1);
    }
    StateCodec codec = new StateCodec();
    var stored = h.journal.load(run.sagaId()).orElseThrow();
    assertThat(codec.write(codec.rebuild(stored))).isEqualTo(codec.write(codec.replay(history)));
    node.close();
  }
}
