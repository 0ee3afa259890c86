package io.orchestra.saga;

import static io.orchestra.saga.testing.Script.Behavior.HANG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Killable;
import io.orchestra.saga.testing.Ledger;
import io.orchestra.saga.testing.OrderData;
import io.orchestra.saga.testing.RecordingTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Leases, fencing and takeover between nodes sharing one journal, on virtual time. */
class RecoveryTest {
  static final List<String> STEPS = List.of("reserve", "charge", "ship");
  static final SagaConfig CONFIG =
      SagaConfig.builder()
          .execution(
              ExecutionConfig.builder()
                  .stepTimeout(Duration.ofMinutes(2))
                  .retryBackoff(Backoff.fixed(Duration.ofMillis(100)))
                  .build())
          .recovery(
              RecoveryConfig.builder()
                  .leaseDuration(Duration.ofSeconds(30))
                  .leaseRenewInterval(Duration.ofSeconds(10))
                  .recoveryInterval(Duration.ofSeconds(5))
                  .stuckThreshold(Duration.ofSeconds(20))
                  .build())
          .build();

  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness(InMemorySagaJournal.create());
  }

  SagaOrchestrator node(String id, Killable view, RecordingTelemetry telemetry) {
    return SagaOrchestrator.builder()
        .nodeId(id)
        .config(CONFIG)
        .journal(view)
        .ticker(h.time)
        .clock(h.time)
        .scheduler(view.scheduler())
        .random(RandomSource.seeded(7))
        .executor(Harness.DIRECT)
        .telemetry(telemetry)
        .build();
  }

  Killable view() {
    return new Killable(h.journal, h.time);
  }

  @Test
  @DisplayName("a node dies mid-step; another takes the saga over after the lease and retries the step with the same key")
  void takeoverAfterCrash() {
    Killable a = view();
    SagaOrchestrator nodeA = node("a", a, new RecordingTelemetry());
    nodeA.start();
    SagaDefinition<OrderData> def = h.script.definition("order", STEPS);
    h.script.set("charge", HANG);
    SagaExecution<OrderData> run = nodeA.execute(def, OrderData.of("o-1", 5));
    h.advance(Duration.ofSeconds(1));
    a.kill(); // the process is gone: no writes, no timers, no renewals
    h.script.heal("charge");

    RecordingTelemetry telemetryB = new RecordingTelemetry();
    SagaOrchestrator nodeB = node("b", view(), telemetryB);
    nodeB.register(def);
    assertThat(nodeB.start()).as("lease still valid").isZero();
    h.advance(Duration.ofSeconds(25));
    assertThat(nodeB.getSagaStatus(run.sagaId()).status()).isEqualTo(SagaStatus.RUNNING);
    assertThat(h.ledger.calls(run.sagaId(), "charge", false)).hasSize(1);
    h.advance(Duration.ofSeconds(10)); // lease expired at 31 s; recovery looks every 5 s

    SagaResult<?> result = h.await(nodeB.result(run.sagaId()));
    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    List<Ledger.Call> charge = h.ledger.calls(run.sagaId(), "charge", false);
    assertThat(charge).hasSize(2);
    assertThat(charge).extracting(Ledger.Call::key).containsOnly(run.sagaId() + "/charge");
    assertThat(charge.get(1).attempt()).isEqualTo(1);
    assertThat(h.ledger.calls(run.sagaId(), "reserve", false)).hasSize(1);
    assertThat(h.ledger.effects()).containsExactly("reserve", "charge", "ship");
    assertThat(telemetryB.counter("orchestra.saga.recoveries", "saga", "order")).isEqualTo(1);
    assertThat(h.journal.history(run.sagaId()))
        .filteredOn(e -> e.type() == SagaEventType.SAGA_RECOVERED)
        .extracting(SagaEvent::detail)
        .containsExactly("b");
    assertThat(run.result().toCompletableFuture()).isNotDone(); // node a never heard back
  }

  @Test
  @DisplayName("a node whose lease was taken over cannot write: its late result is refused (fencing)")
  void fencing() {
    CompletableFuture<OrderData> slow = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("fenced", OrderData.class)
            .step("one", s -> s.invoke(ctx -> ctx.data().visit("one")))
            .step(
                "two",
                s -> s.action(ctx -> calls.getAndIncrement() == 0 ? slow : CompletableFuture.completedFuture(ctx.data().visit("two"))))
            .build();
    Killable a = view();
    RecordingTelemetry telemetryA = new RecordingTelemetry();
    SagaOrchestrator nodeA = node("a", a, telemetryA); // not started: it never renews its lease
    SagaExecution<OrderData> run = nodeA.execute(def, OrderData.of("o-2", 1));
    SagaOrchestrator nodeB = node("b", view(), new RecordingTelemetry());
    nodeB.register(def).start();
    h.advance(Duration.ofSeconds(40));
    SagaResult<?> fromB = h.await(nodeB.result(run.sagaId()));
    assertThat(fromB.status()).isEqualTo(SagaStatus.COMPLETED);

    slow.complete(OrderData.of("o-2", 1).visit("one").visit("two-from-a"));
    Throwable failure = h.awaitFailure(run.result(), Duration.ofSeconds(1));
    assertThat(failure).isInstanceOf(SagaLeaseLostException.class);
    assertThat(telemetryA.counter("orchestra.saga.lease.lost", "saga", "fenced")).isEqualTo(1);
    assertThat(nodeB.getSagaStatus(run.sagaId()).dataJson()).doesNotContain("two-from-a");
    assertThat(h.journal.history(run.sagaId()))
        .extracting(SagaEvent::seq)
        .doesNotHaveDuplicates()
        .isSorted();
  }

  @Test
  @DisplayName("renewed leases keep a long step with its node; nobody else claims it")
  void renewalKeepsOwnership() {
    CompletableFuture<OrderData> slow = new CompletableFuture<>();
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("long", OrderData.class).step("wait", s -> s.action(ctx -> slow)).build();
    SagaOrchestrator nodeA = node("a", view(), new RecordingTelemetry());
    nodeA.start();
    SagaExecution<OrderData> run = nodeA.execute(def, OrderData.of("o-3", 1));
    SagaOrchestrator nodeB = node("b", view(), new RecordingTelemetry());
    nodeB.register(def).start();
    h.advance(Duration.ofSeconds(90));
    assertThat(nodeA.activeSagas()).isEqualTo(1);
    assertThat(nodeB.activeSagas()).isZero();
    assertThat(nodeA.stuckSagas()).as("no progress for 90 s > 20 s threshold").isEqualTo(1);
    slow.complete(OrderData.of("o-3", 1));
    assertThat(h.await(run.result()).status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(nodeA.stuckSagas()).isZero();
  }

  @Test
  @DisplayName("a saga recovers only under the definition version it started with")
  void recoversOnlyUnderItsVersion() {
    SagaDefinition<OrderData> v1 = h.script.definition("order", 1, List.of("a1", "b1"), -1, s -> {});
    SagaDefinition<OrderData> v2 = h.script.definition("order", 2, List.of("a2", "b2", "c2"), -1, s -> {});
    h.script.set("b1", HANG);
    Killable a = view();
    SagaExecution<OrderData> run = node("a", a, new RecordingTelemetry()).execute(v1, OrderData.of("o-4", 1));
    a.kill();
    h.script.heal("b1");
    h.advance(Duration.ofSeconds(40));

    SagaOrchestrator onlyV2 = node("b", view(), new RecordingTelemetry());
    onlyV2.register(v2);
    assertThat(onlyV2.recoverNow()).isZero();
    SagaOrchestrator withV1 = node("c", view(), new RecordingTelemetry());
    withV1.register(v2).register(v1);
    assertThat(withV1.recoverNow()).isEqualTo(1);
    SagaResult<?> result = h.await(withV1.result(run.sagaId()));
    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(((OrderData) result.data()).visited()).containsExactly("a1", "b1");
  }

  @Test
  @DisplayName("a node restarting under the same id takes its sagas back at once")
  void restartUnderSameId() {
    Killable a = view();
    SagaDefinition<OrderData> def = h.script.definition("order", STEPS);
    h.script.set("ship", HANG);
    SagaExecution<OrderData> run = node("a", a, new RecordingTelemetry()).execute(def, OrderData.of("o-5", 1));
    a.kill();
    h.script.heal("ship");
    SagaOrchestrator again = node("a", view(), new RecordingTelemetry());
    again.register(def);
    assertThat(again.start()).isEqualTo(1);
    assertThat(h.await(again.result(run.sagaId())).status()).isEqualTo(SagaStatus.COMPLETED);
  }

  @Test
  @DisplayName("start() after execute(): a saga this orchestrator already runs keeps its handle and is not counted as lost")
  void startAfterExecuteKeepsTheHandle() {
    CompletableFuture<OrderData> gate = new CompletableFuture<>();
    SagaDefinition<OrderData> def =
        SagaDefinition.builder("early", OrderData.class)
            .step("wait", s -> s.action(ctx -> gate))
            .step("after", s -> s.invoke(ctx -> ctx.data().visit("after")))
            .build();
    RecordingTelemetry t = new RecordingTelemetry();
    SagaOrchestrator n = node("a", view(), t);
    SagaExecution<OrderData> run = n.execute(def, OrderData.of("o-9", 1));
    n.start(); // takes back sagas leased to "a", which includes the one running here
    gate.complete(OrderData.of("o-9", 1).visit("wait"));

    SagaResult<OrderData> result = h.await(run.result());
    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(result.data().visited()).containsExactly("wait", "after");
    assertThat(t.counter("orchestra.saga.lease.lost", "saga", "early")).isZero();
    assertThat(n.activeSagas()).isZero();
    n.close();
  }

  @Test
  @DisplayName("operator actions need the lease: refused while another live node holds it")
  void operatorNeedsLease() {
    SagaDefinition<OrderData> def = h.script.definition("order", STEPS);
    h.script.set("reserve", HANG);
    SagaOrchestrator nodeA = node("a", view(), new RecordingTelemetry());
    SagaExecution<OrderData> run = nodeA.execute(def, OrderData.of("o-6", 1));
    assertThatThrownBy(() -> nodeA.retry(run.sagaId(), null))
        .isInstanceOf(SagaStateException.class)
        .hasMessageContaining("running on this node");
    SagaOrchestrator nodeB = node("b", view(), new RecordingTelemetry());
    nodeB.register(def);
    assertThatThrownBy(() -> nodeB.retry(run.sagaId(), null))
        .isInstanceOf(SagaStateException.class)
        .hasMessageContaining("running, not waiting for an operator");
  }

  @Test
  @DisplayName("telemetry: started, finished by status, step latency, retries, active and stuck gauges")
  void telemetry() {
    RecordingTelemetry t = new RecordingTelemetry();
    SagaOrchestrator n = node("a", view(), t);
    SagaDefinition<OrderData> def = h.script.definition("order", STEPS);
    h.script.failTimes("charge", 1);
    h.await(n.execute(def, OrderData.of("o-7", 1)).result());
    h.script.set("ship", io.orchestra.saga.testing.Script.Behavior.REJECT);
    h.await(n.execute(def, OrderData.of("o-8", 1)).result());

    assertThat(t.counter("orchestra.saga.started", "saga", "order")).isEqualTo(2);
    assertThat(t.counter("orchestra.saga.finished", "saga", "order", "status", "completed")).isEqualTo(1);
    assertThat(t.counter("orchestra.saga.finished", "saga", "order", "status", "compensated")).isEqualTo(1);
    assertThat(t.counter("orchestra.saga.step.retries", "saga", "order", "step", "charge")).isEqualTo(1);
    assertThat(t.timerCount("orchestra.saga.step.duration", "saga", "order", "step", "reserve", "outcome", "success")).isEqualTo(2);
    assertThat(t.timerCount("orchestra.saga.step.duration", "saga", "order", "step", "ship", "outcome", "failure")).isEqualTo(1);
    assertThat(t.timerCount("orchestra.saga.compensation.duration", "saga", "order", "step", "reserve", "outcome", "success")).isEqualTo(1);
    assertThat(t.gauge("orchestra.saga.active", "node", "a")).isZero();
    assertThat(t.gauge("orchestra.saga.stuck", "node", "a")).isZero();
    assertThat(t.events).extracting(e -> e.type()).contains("saga.compensated");
  }

  @Test
  @DisplayName("telemetry: a start refused as a duplicate saga id is not counted as started")
  void duplicateStartIsNotCounted() {
    RecordingTelemetry t = new RecordingTelemetry();
    SagaOrchestrator n = node("a", view(), t);
    SagaDefinition<OrderData> def = h.script.definition("order", STEPS);
    h.await(n.execute(def, OrderData.of("o-10", 1), "order-10").result());
    Throwable refused = h.awaitFailure(n.execute(def, OrderData.of("o-10", 1), "order-10").result(), Duration.ofSeconds(1));

    assertThat(refused).isInstanceOf(SagaAlreadyExistsException.class);
    assertThat(t.counter("orchestra.saga.started", "saga", "order")).isEqualTo(1);
    assertThat(t.counter("orchestra.saga.finished", "saga", "order", "status", "completed")).isEqualTo(1);
  }
}
