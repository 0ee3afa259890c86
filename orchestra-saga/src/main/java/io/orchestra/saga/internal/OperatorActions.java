package io.orchestra.saga.internal;

import io.orchestra.saga.DeadLetter;
import io.orchestra.saga.SagaNotFoundException;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStateException;
import io.orchestra.saga.UnknownSagaDefinitionException;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.StoredSaga;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Operator retry, skip and resolve of dead-lettered steps: checks the saga is parked with such a
 * step, takes its lease (a fresh epoch), checks again under the lease, records the action as an
 * event and lets a {@link SagaRun} continue from there. Thread-safe. Not public API.
 */
final class OperatorActions {
  private final SagaEngine engine;

  OperatorActions(SagaEngine engine) {
    this.engine = engine;
  }

  CompletableFuture<SagaResult<?>> operate(
      String sagaId, String stepName, OperatorAction action, String note) {
    if (engine.isRunningHere(sagaId)) {
      throw new SagaStateException(
          "saga " + sagaId + " is running on this node; nothing to " + verb(action));
    }
    StoredSaga stored = engine.journal.load(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId));
    CompiledSaga<?> saga = engine.compiled(stored.record().definitionKey());
    if (saga == null) {
      throw new UnknownSagaDefinitionException(
          stored.record().definitionName(), stored.record().definitionVersion());
    }
    deadLetterSteps(engine.stateCodec.rebuild(stored), stepName, action);
    long now = engine.clock.millis();
    SagaRecord leased =
        engine
            .journal
            .acquire(sagaId, engine.nodeId, now, now + engine.config.recovery().leaseDuration().toMillis())
            .orElseThrow(() -> new SagaStateException("saga " + sagaId + " is leased to another node"));
    return operate(saga, sagaId, leased.epoch(), stepName, action, note);
  }

  private <D> CompletableFuture<SagaResult<?>> operate(
      CompiledSaga<D> saga, String sagaId, long epoch, String stepName, OperatorAction action, String note) {
    StoredSaga stored = engine.journal.load(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId));
    SagaState state = engine.stateCodec.rebuild(stored);
    List<Integer> steps;
    try {
      steps = deadLetterSteps(state, stepName, action); // again, now under the lease
    } catch (SagaStateException e) {
      release(sagaId, epoch);
      throw e;
    }
    D data = engine.dataCodec.read(state.dataJson, saga.definition.dataType());
    SagaRun<D> run = new SagaRun<>(engine, saga, state, epoch, data);
    if (!engine.activate(run)) {
      release(sagaId, epoch);
      throw new SagaStateException("saga " + sagaId + " is running on this node");
    }
    saga.metrics.event(
        "saga.operator_" + verb(action),
        sagaId,
        engine.clock.millis(),
        note == null ? Map.of() : Map.of("note", note));
    run.operator(action.event, steps, note)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                run.stop(e);
              } else {
                engine.dispatch(run::loop);
              }
            });
    return run.result.thenApply(r -> r);
  }

  private void release(String sagaId, long epoch) {
    engine.journal.append(new SagaAppend(sagaId, epoch, List.of(), null, null, false, true));
  }

  private static List<Integer> deadLetterSteps(SagaState state, String stepName, OperatorAction action) {
    if (!state.status.isParked()) {
      throw new SagaStateException(
          "saga " + state.sagaId + " is " + state.status.wireName() + ", not waiting for an operator");
    }
    List<Integer> steps = new ArrayList<>();
    for (DeadLetter d : Views.deadLetters(state)) {
      if (stepName == null || d.stepName().equals(stepName)) {
        steps.add(d.stepIndex());
      }
    }
    if (steps.isEmpty()) {
      throw new SagaStateException(
          "saga " + state.sagaId + " has no dead-lettered step"
              + (stepName == null ? "" : " named " + stepName) + " to " + verb(action));
    }
    if (stepName == null && action != OperatorAction.RETRY && steps.size() > 1) {
      throw new SagaStateException("name the step to " + verb(action));
    }
    return steps;
  }

  private static String verb(OperatorAction action) {
    return action.name().toLowerCase(Locale.ROOT);
  }
}
