package io.orchestra.saga;

import static io.orchestra.saga.testing.Script.Behavior.FAIL;
import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static io.orchestra.saga.testing.Script.Behavior.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.saga.internal.StateCodec;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The saga semantics, written once and run against every journal: the in-memory one, the embedded
 * H2 one and PostgreSQL (see the subclasses). Time is virtual; the journals are real.
 */
abstract class SagaContract {
  static final List<String> STEPS = List.of("reserve", "charge", "notify", "ship");

  Harness h;
  SagaOrchestrator node;

  /** A fresh, empty journal. */
  abstract SagaJournal openJournal();

  static SagaConfig config(boolean parallel) {
    return SagaConfig.builder()
        .execution(
            ExecutionConfig.builder()
                .timeout(Duration.ofMinutes(1))
                .stepTimeout(Duration.ofSeconds(5))
                .maxRetries(2)
                .retryBackoff(Backoff.fixed(Duration.ofMillis(100)))
                .build())
        .compensation(
            CompensationConfig.builder()
                .parallelCompensation(parallel)
                .compensationTimeout(Duration.ofSeconds(5))
                .compensationRetries(2)
                .compensationBackoff(Backoff.fixed(Duration.ofMillis(100)))
                .build())
        .persistence(PersistenceConfig.builder().snapshotInterval(2).build())
        .build();
  }

  @BeforeEach
  void open() {
    h = new Harness(openJournal());
    node = h.node("node-a", config(false));
  }

  @AfterEach
  void closeJournal() {
    h.settle();
    node.close();
    h.journal.close();
  }

  SagaDefinition<OrderData> saga(String name) {
    return h.script.definition(name, STEPS);
  }

  List<SagaEventType> types(String sagaId) {
    h.settle();
    List<SagaEventType> out = new ArrayList<>();
    for (SagaEvent e : h.journal.history(sagaId)) {
      out.add(e.type());
    }
    return out;
  }

  @Test
  @DisplayName("happy path: every step runs once, in order, and the data flows through")
  void happyPath() {
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-1", 40));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(result.data().visited()).containsExactlyElementsOf(STEPS);
    assertThat(h.ledger.effects()).containsExactlyElementsOf(STEPS);
    assertThat(h.ledger.calls()).allSatisfy(c -> assertThat(c.attempt()).isZero());
    assertThat(types(run.sagaId()))
        .containsExactly(
            SagaEventType.SAGA_STARTED,
            SagaEventType.STEP_STARTED, SagaEventType.STEP_COMPLETED,
            SagaEventType.STEP_STARTED, SagaEventType.STEP_COMPLETED,
            SagaEventType.STEP_STARTED, SagaEventType.STEP_COMPLETED,
            SagaEventType.STEP_STARTED, SagaEventType.STEP_COMPLETED,
            SagaEventType.SAGA_COMPLETED);
    SagaInfo info = node.getSagaStatus(run.sagaId());
    assertThat(info.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(info.fromMemory()).isFalse();
    assertThat(info.completedSteps()).isEqualTo(4);
    assertThat(info.finishedAt()).isNotNull();
  }

  static Stream<Arguments> positions() {
    List<Arguments> out = new ArrayList<>();
    for (int p = 0; p < STEPS.size(); p++) {
      out.add(Arguments.of(p, false));
      out.add(Arguments.of(p, true));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "step {0} fails, parallel compensation {1}")
  @MethodSource("positions")
  @DisplayName("a definite failure at any position compensates exactly the completed steps")
  void failureAtEachPosition(int position, boolean parallel) {
    SagaOrchestrator n = h.node("node-p", config(parallel));
    h.script.set(STEPS.get(position), REJECT);
    SagaExecution<OrderData> run = n.execute(saga("order"), OrderData.of("o-2", 10));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(result.failedStep()).isEqualTo(STEPS.get(position));
    assertThat(result.error()).contains("rejected");
    List<String> completed = STEPS.subList(0, position);
    List<String> undone = new ArrayList<>();
    for (String s : h.ledger.effects()) {
      if (s.endsWith("/compensate")) {
        undone.add(s.substring(0, s.indexOf('/')));
      }
    }
    List<String> reversed = new ArrayList<>(completed);
    java.util.Collections.reverse(reversed);
    if (parallel) {
      assertThat(undone).containsExactlyInAnyOrderElementsOf(completed);
    } else {
      assertThat(undone).containsExactlyElementsOf(reversed);
    }
    for (String s : completed) {
      assertThat(h.ledger.requests(run.sagaId() + "/" + s + "/compensate")).isEqualTo(1);
    }
    assertThat(h.ledger.calls(run.sagaId(), STEPS.get(position), true)).isEmpty();
    SagaInfo info = n.getSagaStatus(run.sagaId());
    assertThat(info.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(info.steps().get(position).status()).isEqualTo(StepStatus.FAILED);
    for (int i = 0; i < position; i++) {
      assertThat(info.steps().get(i).compensation()).isEqualTo(CompensationStatus.COMPENSATED);
    }
    n.close();
  }

  @ParameterizedTest(name = "parallel compensation {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("parallel compensation starts every undo at once; sequential starts each after the later step's undo is done")
  void compensationsRunInParallelOrOneByOne(boolean parallel) {
    SagaOrchestrator n = h.node("node-q", config(parallel));
    List<String> undoing = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.Map<String, CompletableFuture<Void>> undone = new java.util.concurrent.ConcurrentHashMap<>();
    SagaDefinition.Builder<OrderData> b = SagaDefinition.builder("gated-undo", OrderData.class);
    for (String step : List.of("reserve", "charge", "notify")) {
      b.step(step, s -> s
          .invoke(ctx -> ctx.data().visit(step))
          .compensation(ctx -> {
            undoing.add(step);
            return undone.computeIfAbsent(step, k -> new CompletableFuture<>());
          }));
    }
    b.step("ship", s -> s.run(ctx -> {
      throw new NonRetriableStepException("ship rejected");
    }));
    SagaExecution<OrderData> run = n.execute(b.build(), OrderData.of("o-13", 1));
    h.advance(Duration.ofMillis(100));

    if (parallel) {
      assertThat(undoing).containsExactlyInAnyOrder("notify", "charge", "reserve");
    } else {
      assertThat(undoing).containsExactly("notify");
      undone.get("notify").complete(null);
      h.advance(Duration.ofMillis(100));
      assertThat(undoing).containsExactly("notify", "charge");
      undone.get("charge").complete(null);
      h.advance(Duration.ofMillis(100));
      assertThat(undoing).containsExactly("notify", "charge", "reserve");
    }
    assertThat(run.result().toCompletableFuture()).isNotDone();
    undone.values().forEach(f -> f.complete(null));
    SagaResult<OrderData> result = h.await(run.result());
    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(undoing).hasSize(3); // no undo ran twice
    n.close();
  }

  @Test
  @DisplayName("a compensation that hangs times out per attempt, is retried, then dead-letters while the others are undone")
  void compensationTimeoutUnderVirtualTime() {
    SagaConfig c =
        config(false).toBuilder()
            .compensation(
                CompensationConfig.builder()
                    .parallelCompensation(false)
                    .compensationTimeout(Duration.ofSeconds(3)) // not the 5 s step timeout
                    .compensationRetries(2)
                    .compensationBackoff(Backoff.fixed(Duration.ofMillis(100)))
                    .build())
            .build();
    SagaOrchestrator n = h.node("node-u", c);
    h.script.set("notify", REJECT).set("charge/compensate", HANG);
    long t0 = h.time.read();
    SagaExecution<OrderData> run = n.execute(saga("order"), OrderData.of("o-14", 1));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATION_FAILED);
    assertThat(result.deadLetters()).containsExactly("charge");
    // 3 attempts (1 + 2 retries) of 3 s each
    assertThat(h.ledger.calls(run.sagaId(), "charge", true)).hasSize(3);
    assertThat((h.time.read() - t0) / 1_000_000).isGreaterThanOrEqualTo(9_000L);
    assertThat(n.getSagaStatus(run.sagaId()).steps().get(1).compensationError())
        .contains("compensation of step charge timed out after 3000 ms");
    assertThat(h.ledger.requests(run.sagaId() + "/reserve/compensate")).isEqualTo(1);
    n.close();
  }

  @Test
  @DisplayName("a step that hangs times out after the step timeout, is retried, then compensated itself")
  void stepTimeoutUnderVirtualTime() {
    h.script.set("charge", HANG);
    long t0 = h.time.read();
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-3", 10));
    SagaResult<OrderData> result = h.await(run.result());

    long elapsedMs = (h.time.read() - t0) / 1_000_000;
    // 3 attempts of 5 s with 100 ms between them
    assertThat(elapsedMs).isBetween(15_200L, 15_500L);
    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(result.error()).contains("timed out after 5000 ms");
    assertThat(h.ledger.calls(run.sagaId(), "charge", false)).hasSize(3);
    // A timed-out step may have taken effect: it is compensated too, as is the step before it.
    assertThat(h.ledger.calls(run.sagaId(), "charge", true)).hasSize(1);
    assertThat(h.ledger.calls(run.sagaId(), "reserve", true)).hasSize(1);
  }

  @Test
  @DisplayName("the total timeout cuts a step's retries short and compensates")
  void totalTimeout() {
    SagaConfig c =
        config(false).toBuilder()
            .execution(
                ExecutionConfig.builder()
                    .timeout(Duration.ofSeconds(12))
                    .stepTimeout(Duration.ofSeconds(5))
                    .maxRetries(100)
                    .retryBackoff(Backoff.fixed(Duration.ofMillis(100)))
                    .build())
            .build();
    SagaOrchestrator n = h.node("node-t", c);
    h.script.set("notify", HANG);
    long t0 = h.time.read();
    SagaResult<OrderData> result = h.await(n.execute(saga("order"), OrderData.of("o-4", 1)).result());
    long elapsedMs = (h.time.read() - t0) / 1_000_000;
    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(elapsedMs).isBetween(12_000L, 12_100L);
    n.close();
  }

  @Test
  @DisplayName("a step that fails twice then succeeds completes, with one idempotency key for all attempts")
  void retryThenSuccess() {
    h.script.failTimes("charge", 2);
    long t0 = h.time.read();
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-5", 7));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    List<Ledger.Call> calls = h.ledger.calls(run.sagaId(), "charge", false);
    assertThat(calls).extracting(Ledger.Call::attempt).containsExactly(0, 1, 2);
    assertThat(calls).extracting(Ledger.Call::key).containsOnly(run.sagaId() + "/charge");
    assertThat((h.time.read() - t0) / 1_000_000).isGreaterThanOrEqualTo(200);
    assertThat(types(run.sagaId()))
        .filteredOn(t -> t == SagaEventType.STEP_ATTEMPT_FAILED)
        .hasSize(2);
    assertThat(node.getSagaStatus(run.sagaId()).steps().get(1).attempts()).isEqualTo(3);
  }

  @Test
  @DisplayName("a compensation that keeps failing dead-letters the saga; an operator retry compensates it")
  void compensationFailureDeadLetterOperatorRetry() {
    h.script.set("notify", REJECT).set("reserve/compensate", FAIL);
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-6", 3));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATION_FAILED);
    assertThat(result.deadLetters()).containsExactly("reserve");
    assertThat(h.ledger.calls(run.sagaId(), "reserve", true)).hasSize(3); // 1 + 2 retries
    List<DeadLetter> dead = node.deadLetters(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).sagaId()).isEqualTo(run.sagaId());
    assertThat(dead.get(0).stepName()).isEqualTo("reserve");
    assertThat(dead.get(0).kind()).isEqualTo(DeadLetter.Kind.COMPENSATION);
    assertThat(dead.get(0).error()).contains("reserve/compensate is down");

    h.script.heal("reserve/compensate");
    SagaResult<?> retried = h.await(node.retry(run.sagaId(), null));

    assertThat(retried.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(retried.deadLetters()).isEmpty();
    assertThat(node.deadLetters(10)).isEmpty();
    assertThat(h.ledger.calls(run.sagaId(), "reserve", true))
        .extracting(Ledger.Call::key)
        .containsOnly(run.sagaId() + "/reserve/compensate");
    assertThat(types(run.sagaId()))
        .containsSubsequence(
            SagaEventType.STEP_COMPENSATION_FAILED,
            SagaEventType.SAGA_COMPENSATION_FAILED,
            SagaEventType.OPERATOR_RETRY,
            SagaEventType.STEP_COMPENSATED,
            SagaEventType.SAGA_COMPENSATED);
    assertThat(node.getSagaStatus(run.sagaId()).status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  @Test
  @DisplayName("operators can skip one dead letter and resolve another; each action is an event")
  void operatorSkipAndResolve() {
    h.script.set("ship", REJECT).set("reserve/compensate", FAIL).set("charge/compensate", FAIL);
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-7", 3));
    assertThat(h.await(run.result()).deadLetters()).containsExactlyInAnyOrder("reserve", "charge");

    assertThatThrownBy(() -> node.skip(run.sagaId(), "notify", "n/a"))
        .isInstanceOf(SagaStateException.class)
        .hasMessageContaining("no dead-lettered step named notify");
    SagaResult<?> afterSkip = h.await(node.skip(run.sagaId(), "charge", "refunded by support"));
    assertThat(afterSkip.status()).isEqualTo(SagaStatus.COMPENSATION_FAILED);
    assertThat(afterSkip.deadLetters()).containsExactly("reserve");
    SagaResult<?> afterResolve = h.await(node.resolve(run.sagaId(), "reserve", "released by hand"));
    assertThat(afterResolve.status()).isEqualTo(SagaStatus.COMPENSATED);

    SagaInfo info = node.getSagaStatus(run.sagaId());
    assertThat(info.steps().get(0).compensation()).isEqualTo(CompensationStatus.RESOLVED);
    assertThat(info.steps().get(1).compensation()).isEqualTo(CompensationStatus.SKIPPED);
    List<SagaEvent> ops =
        h.journal.history(run.sagaId()).stream()
            .filter(e -> e.type().name().startsWith("OPERATOR_"))
            .toList();
    assertThat(ops).extracting(SagaEvent::type)
        .containsExactly(SagaEventType.OPERATOR_SKIPPED, SagaEventType.OPERATOR_RESOLVED);
    assertThat(ops).extracting(SagaEvent::detail).containsExactly("refunded by support", "released by hand");
    assertThatThrownBy(() -> node.retry(run.sagaId(), null))
        .isInstanceOf(SagaStateException.class)
        .hasMessageContaining("compensated");
  }

  @Test
  @DisplayName("status is rebuilt from snapshot + events, and equals the state replayed from all events")
  void statusRebuiltFromEventsAndSnapshots() {
    h.script.set("ship", REJECT);
    SagaExecution<OrderData> run = node.execute(saga("order"), OrderData.of("o-8", 9));
    h.await(run.result());
    h.settle();

    var stored = h.journal.load(run.sagaId()).orElseThrow();
    assertThat(stored.snapshot()).as("snapshot every 2 steps").isNotNull();
    assertThat(stored.events().get(0).seq()).isGreaterThan(stored.snapshot().seq());
    StateCodec codec = new StateCodec();
    String fromSnapshot = codec.write(codec.rebuild(stored));
    String fromEvents = codec.write(codec.replay(h.journal.history(run.sagaId())));
    assertThat(fromSnapshot).isEqualTo(fromEvents);

    SagaOrchestrator other = h.node("node-b", config(false));
    SagaInfo info = other.getSagaStatus(run.sagaId());
    assertThat(info.fromMemory()).isFalse();
    assertThat(info.active()).isFalse();
    assertThat(info.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(info.definitionName()).isEqualTo("order");
    assertThat(info.totalSteps()).isEqualTo(4);
    assertThat(info.steps()).extracting(StepInfo::status)
        .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.FAILED);
    assertThat(info.failure()).contains("ship rejected");
    assertThat(info.dataJson()).contains("\"visited\":[\"reserve\",\"charge\",\"notify\"]");
    other.close();
  }

  @Test
  @DisplayName("an unknown saga id is not_found, as in the seed")
  void unknownSagaIsNotFound() {
    SagaInfo info = node.getSagaStatus("no-such-saga");
    assertThat(info.status()).isEqualTo(SagaStatus.NOT_FOUND);
    assertThat(info.status().wireName()).isEqualTo("not_found");
    assertThatThrownBy(() -> node.retry("no-such-saga", null)).isInstanceOf(SagaNotFoundException.class);
  }

  @Test
  @DisplayName("data that cannot round-trip through JSON is refused before anything is written")
  void nonSerializableDataIsRefused() {
    SagaDefinition<Opaque> def =
        SagaDefinition.builder("opaque", Opaque.class).step("a", s -> s.run(ctx -> {})).build();
    assertThatThrownBy(() -> node.execute(def, new Opaque(), "opaque-1"))
        .isInstanceOf(SagaDataException.class)
        .hasMessageContaining("cannot be written as JSON");
    SagaDefinition<WriteOnly> def2 =
        SagaDefinition.builder("write-only", WriteOnly.class).step("a", s -> s.run(ctx -> {})).build();
    assertThatThrownBy(() -> node.execute(def2, new WriteOnly(5), "opaque-2"))
        .isInstanceOf(SagaDataException.class)
        .hasMessageContaining("cannot be read back");
    h.settle();
    assertThat(h.journal.load("opaque-1")).isEmpty();
    assertThat(h.journal.load("opaque-2")).isEmpty();
  }

  /** No properties: Jackson refuses it. */
  static final class Opaque {}

  /** Writes a property it cannot read back (no creator). */
  static final class WriteOnly {
    private final int value;

    WriteOnly(int value) {
      this.value = value;
    }

    public int getValue() {
      return value;
    }
  }

  @Test
  @DisplayName("starting a saga id twice fails with SagaAlreadyExistsException and keeps the first")
  void duplicateSagaId() {
    SagaDefinition<OrderData> def = saga("order");
    h.await(node.execute(def, OrderData.of("o-9", 1), "order-9").result());
    Throwable failure =
        h.awaitFailure(node.execute(def, OrderData.of("o-9", 2), "order-9").result(), Duration.ofSeconds(1));
    assertThat(failure).isInstanceOf(SagaAlreadyExistsException.class);
    assertThat(node.getSagaStatus("order-9").status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(node.getSagaStatus("order-9").dataJson()).contains("\"amount\":1");
  }

  @Test
  @DisplayName("retry-only steps: the pivot's definite failure compensates, a later failure dead-letters forward")
  void pivotSemantics() {
    SagaDefinition<OrderData> def = h.script.definition("pivoted", 1, STEPS, 2, s -> {});
    h.script.set("notify", REJECT); // the pivot
    SagaResult<OrderData> r1 = h.await(node.execute(def, OrderData.of("p-1", 1)).result());
    assertThat(r1.status()).isEqualTo(SagaStatus.COMPENSATED);

    h.script.heal("notify").set("ship", FAIL);
    SagaExecution<OrderData> run = node.execute(def, OrderData.of("p-2", 1));
    SagaResult<OrderData> r2 = h.await(run.result());
    assertThat(r2.status()).isEqualTo(SagaStatus.FAILED);
    assertThat(r2.deadLetters()).containsExactly("ship");
    assertThat(h.ledger.calls(run.sagaId(), "reserve", true)).isEmpty();
    assertThat(node.deadLetters(10)).extracting(DeadLetter::kind).containsExactly(DeadLetter.Kind.FORWARD);

    h.script.heal("ship");
    SagaResult<?> r3 = h.await(node.retry(run.sagaId(), "ship"));
    assertThat(r3.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(h.ledger.calls(run.sagaId(), "ship", false))
        .extracting(Ledger.Call::key)
        .containsOnly(run.sagaId() + "/ship");
  }

  @Test
  @DisplayName("an error message with a NUL character (PostgreSQL refuses it in text) is stored and the saga goes on")
  void nulCharacterInErrorMessage() {
    AtomicInteger calls = new AtomicInteger();
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("nul", OrderData.class)
            .step("a", s -> s.action(ctx -> calls.getAndIncrement() == 0
                ? CompletableFuture.failedFuture(new IllegalStateException("bad\0byte"))
                : CompletableFuture.completedFuture(ctx.data().visit("a"))))
            .build();
    SagaExecution<OrderData> run = node.execute(def, OrderData.of("o-12", 1));
    SagaResult<OrderData> result = h.await(run.result());

    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(types(run.sagaId())).contains(SagaEventType.STEP_ATTEMPT_FAILED);
    assertThat(h.journal.history(run.sagaId()))
        .filteredOn(e -> e.type() == SagaEventType.STEP_ATTEMPT_FAILED)
        .extracting(SagaEvent::detail)
        .singleElement()
        .asString()
        .contains("bad\uFFFDbyte")
        .doesNotContain("\0");
  }

  @Test
  @DisplayName("with event sourcing off, snapshots replace the events they cover")
  void eventSourcingOff() {
    SagaConfig c =
        config(false).toBuilder()
            .persistence(PersistenceConfig.builder().snapshotInterval(2).eventSourcing(false).build())
            .build();
    SagaOrchestrator n = h.node("node-c", c);
    SagaExecution<OrderData> run = n.execute(saga("order"), OrderData.of("o-10", 5));
    h.await(run.result());
    h.settle();
    var stored = h.journal.load(run.sagaId()).orElseThrow();
    assertThat(stored.snapshot()).isNotNull();
    assertThat(h.journal.history(run.sagaId())).allSatisfy(e -> assertThat(e.seq()).isGreaterThan(stored.snapshot().seq()));
    assertThat(n.getSagaStatus(run.sagaId()).status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(n.getSagaStatus(run.sagaId()).completedSteps()).isEqualTo(4);
    n.close();
  }
}
