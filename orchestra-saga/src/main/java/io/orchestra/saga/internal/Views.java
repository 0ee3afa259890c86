package io.orchestra.saga.internal;

import io.orchestra.saga.CompensationStatus;
import io.orchestra.saga.DeadLetter;
import io.orchestra.saga.SagaInfo;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.StepInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link SagaState} into the public views. Caller guards the state. Not public API. */
final class Views {
  private Views() {}

  static <D> SagaResult<D> result(SagaState s, D data) {
    List<String> dead = new ArrayList<>();
    for (DeadLetter d : deadLetters(s)) {
      dead.add(d.stepName());
    }
    return new SagaResult<>(
        s.sagaId,
        s.status,
        data,
        s.failedStep >= 0 ? s.stepNames.get(s.failedStep) : null,
        s.failure,
        dead);
  }

  static List<DeadLetter> deadLetters(SagaState s) {
    List<DeadLetter> out = new ArrayList<>();
    Instant since = s.finishedAt > 0 ? Instant.ofEpochMilli(s.finishedAt) : Instant.ofEpochMilli(s.updatedAt);
    for (int i = 0; i < s.steps.length; i++) {
      StepState st = s.steps[i];
      if (st.compensation == CompensationStatus.FAILED) {
        out.add(
            new DeadLetter(
                s.sagaId, s.definitionName, s.definitionVersion, i, s.stepNames.get(i),
                DeadLetter.Kind.COMPENSATION, st.compensationError, since));
      }
    }
    if (s.forwardDeadLetter >= 0) {
      int i = s.forwardDeadLetter;
      out.add(
          new DeadLetter(
              s.sagaId, s.definitionName, s.definitionVersion, i, s.stepNames.get(i),
              DeadLetter.Kind.FORWARD, s.steps[i].error, since));
    }
    return out;
  }

  static SagaInfo info(SagaState s, boolean fromMemory) {
    List<StepInfo> steps = new ArrayList<>(s.steps.length);
    for (int i = 0; i < s.steps.length; i++) {
      StepState st = s.steps[i];
      steps.add(
          new StepInfo(
              i, s.stepNames.get(i), st.status, st.attempts, st.error, st.compensation,
              st.compensationAttempts, st.compensationError));
    }
    return new SagaInfo(
        s.sagaId,
        s.status,
        s.definitionName,
        s.definitionVersion,
        s.currentStep,
        s.steps.length,
        s.completedSteps(),
        Instant.ofEpochMilli(s.startedAt),
        s.finishedAt > 0 ? Instant.ofEpochMilli(s.finishedAt) : null,
        steps,
        deadLetters(s),
        s.failure,
        s.dataJson,
        s.status.isActive(),
        fromMemory,
        s.lastSeq);
  }
}
