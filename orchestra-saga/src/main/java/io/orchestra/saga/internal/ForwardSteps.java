package io.orchestra.saga.internal;

import io.orchestra.core.transport.CallOutcome;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.StepStatus;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The forward half of a {@link SagaRun}: runs the next step through {@link Attempts}, checks and
 * records what it returned (the new data, or a rejected result), and turns a failed step or a
 * passed deadline into compensation or a failed saga; also completes a saga with no step left.
 *
 * <p>Stateless, so a run allocates nothing for it: every method takes the run and works on its
 * {@link SagaState} and data, which the run's monitor guards. Each method takes that monitor
 * ({@code synchronized (run)}) around every read of the state and every event it creates and hands
 * to the journal, exactly as the run's own code does; the user's step and the data codec run
 * outside it. Called only from the run's loop, so at most one thread is here for a run at a time.
 * Not public API.
 */
final class ForwardSteps {
  private ForwardSteps() {}

  /** Starts step {@code i} and returns the write that records its end. */
  static <D> CompletableFuture<?> runStep(SagaRun<D> run, int i) {
    SagaEngine engine = run.engine;
    CompiledSaga<D> saga = run.saga;
    SagaState state = run.state;
    int base;
    synchronized (run) {
      base = state.steps[i].attempts;
      run.quietly(
          run.write(List.of(run.event(SagaEventType.STEP_STARTED, i, base, null, null, null)), null, false));
    }
    long deadline = saga.compensatable(i) ? state.deadlineAt : Long.MAX_VALUE;
    long t0 = engine.ticker.read();
    CompletableFuture<Outcome> attempts = new Attempts<>(run, i, false, base, deadline).start();
    if (attempts.isDone() && !attempts.isCompletedExceptionally()) {
      // A step that finished at once (a direct executor, a local function): record it in this
      // frame rather than through another future and its callback.
      return recordStep(run, i, attempts.getNow(null), engine.ticker.read() - t0);
    }
    return attempts.thenCompose(outcome -> recordStep(run, i, outcome, run.engine.ticker.read() - t0));
  }

  @SuppressWarnings("unchecked")
  private static <D> CompletableFuture<Void> recordStep(SagaRun<D> run, int i, Outcome outcome, long nanos) {
    if (run.isStopped()) {
      return CompletableFuture.completedFuture(null);
    }
    SagaEngine engine = run.engine;
    CompiledSaga<D> saga = run.saga;
    if (outcome.ok()) {
      Object value = outcome.value();
      D next = value == null ? run.data : null;
      String json = null;
      String rejected = null;
      if (value != null && !saga.definition.dataType().isInstance(value)) {
        rejected =
            "step returned "
                + value.getClass().getName()
                + ", not "
                + saga.definition.dataType().getName();
      } else {
        if (value != null) {
          next = (D) value;
        }
        json = unchangedJson(run, next);
        if (json == null) {
          try {
            json = engine.dataCodec.write(next);
          } catch (RuntimeException e) {
            rejected = DataCodec.message(e);
          }
        }
      }
      if (rejected == null) {
        saga.metrics.stepSuccess[i].record(nanos);
        synchronized (run) {
          run.data = next;
          run.jsonOf = next;
          SagaEvent e = run.event(SagaEventType.STEP_COMPLETED, i, 0, null, json, null);
          boolean snapshot =
              run.state.completedSteps() % engine.config.persistence().snapshotInterval() == 0;
          if (run.state.nextStep() == saga.size()) {
            // The last step: its completion and the saga's are one write, so a durable journal
            // commits once, not twice, at the end of every saga.
            SagaEvent end = run.event(SagaEventType.SAGA_COMPLETED, -1, 0, null, null, null);
            return run.write(List.of(e, end), SagaStatus.COMPLETED, snapshot);
          }
          return run.write(List.of(e), null, snapshot);
        }
      }
      outcome = Outcome.failure(SagaState.RESULT_REJECTED, rejected);
    }
    saga.metrics.stepFailure[i].record(nanos);
    return failStep(run, i, outcome.outcome(), outcome.error());
  }

  /**
   * The JSON already recorded for {@code next} when it is the very instance that JSON was written
   * from and its type is deeply immutable (so it cannot have changed since); otherwise null.
   */
  private static String unchangedJson(SagaRun<?> run, Object next) {
    synchronized (run) {
      return run.saga.immutableData && next == run.jsonOf ? run.state.dataJson : null;
    }
  }

  private static CompletableFuture<Void> failStep(SagaRun<?> run, int i, String outcome, String error) {
    SagaEngine engine = run.engine;
    CompiledSaga<?> saga = run.saga;
    boolean uncertain = SagaState.uncertain(outcome);
    String name = saga.stepNames.get(i);
    synchronized (run) {
      List<SagaEvent> events = new ArrayList<>(2);
      events.add(run.event(SagaEventType.STEP_FAILED, i, 0, outcome, null, error));
      boolean undo = saga.compensatable(i) || (i == saga.pivot && !uncertain);
      if (undo && engine.config.compensation().enabled()) {
        events.add(
            run.event(SagaEventType.COMPENSATION_STARTED, i, 0, null, null, "step " + name + " failed: " + error));
        return run.write(events, SagaStatus.COMPENSATING, false);
      }
      int deadLetter = undo ? -1 : i; // a retry-only step waits for an operator
      events.add(
          run.event(
              SagaEventType.SAGA_FAILED,
              deadLetter,
              0,
              outcome,
              null,
              (undo ? "compensation disabled; " : "retry-only ") + "step " + name + " failed: " + error));
      return run.write(events, SagaStatus.FAILED, false);
    }
  }

  /** Ends the forward run at step {@code i} because the saga's deadline has passed. */
  static CompletableFuture<Void> timedOut(SagaRun<?> run, int i) {
    SagaEngine engine = run.engine;
    String why = "saga timed out after " + engine.config.execution().timeout();
    synchronized (run) {
      List<SagaEvent> events = new ArrayList<>(2);
      if (run.state.steps[i].status == StepStatus.STARTED) {
        // Recovered past the deadline while this step was in flight: its effect is unknown.
        events.add(run.event(SagaEventType.STEP_FAILED, i, 0, CallOutcome.TIMEOUT.name(), null, why));
      }
      if (engine.config.compensation().enabled()) {
        events.add(run.event(SagaEventType.COMPENSATION_STARTED, i, 0, null, null, why));
        return run.write(events, SagaStatus.COMPENSATING, false);
      }
      events.add(run.event(SagaEventType.SAGA_FAILED, -1, 0, CallOutcome.TIMEOUT.name(), null, why));
      return run.write(events, SagaStatus.FAILED, false);
    }
  }

  /** Completes a saga whose every step has completed. */
  static CompletableFuture<Void> complete(SagaRun<?> run) {
    synchronized (run) {
      return run.write(
          List.of(run.event(SagaEventType.SAGA_COMPLETED, -1, 0, null, null, null)),
          SagaStatus.COMPLETED,
          false);
    }
  }
}
