package io.orchestra.saga.internal;

import io.orchestra.saga.CompensationStatus;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.StepStatus;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The backward half of a {@link SagaRun}: picks the steps whose effects still need undoing (latest
 * first), runs their compensations through {@link Attempts} (one at a time, or all at once with
 * parallel compensation), records each outcome, and settles the saga as compensated or as
 * compensation failed once none is left.
 *
 * <p>Stateless, so a run allocates nothing for it: every method takes the run and works on its
 * {@link SagaState}, which the run's monitor guards. The selection, every event and its hand-over
 * to the journal happen under that monitor ({@code synchronized (run)}); the compensations run
 * outside it. With parallel compensation several compensations report at once, on whichever
 * threads complete them: the monitor is what keeps their sequence numbers and journal order in
 * agreement. Not public API.
 */
final class CompensatingSteps {
  private CompensatingSteps() {}

  /**
   * Starts the compensations still needed and returns when they have been recorded, or settles
   * the saga when none is.
   */
  static CompletableFuture<?> compensate(SagaRun<?> run) {
    CompiledSaga<?> saga = run.saga;
    List<Integer> pending = new ArrayList<>();
    synchronized (run) {
      SagaState state = run.state;
      for (int i = saga.size() - 1; i >= 0; i--) {
        StepState s = state.steps[i];
        boolean needed =
            saga.compensatable(i)
                && saga.hasCompensation(i)
                && (s.status == StepStatus.COMPLETED
                    || (s.status == StepStatus.FAILED && SagaState.uncertain(s.outcome)));
        CompensationStatus c = s.compensation;
        if (needed
            && (c == CompensationStatus.NONE
                || c == CompensationStatus.PENDING
                || c == CompensationStatus.STARTED)) {
          pending.add(i);
        }
      }
      if (pending.isEmpty()) {
        if (state.hasFailedCompensation()) {
          return run.write(
              List.of(run.event(SagaEventType.SAGA_COMPENSATION_FAILED, -1, 0, null, null, null)),
              SagaStatus.COMPENSATION_FAILED,
              false);
        }
        return run.write(
            List.of(run.event(SagaEventType.SAGA_COMPENSATED, -1, 0, null, null, null)),
            SagaStatus.COMPENSATED,
            false);
      }
    }
    if (!run.engine.config.compensation().parallelCompensation() || pending.size() == 1) {
      return compensateOne(run, pending.get(0));
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[pending.size()];
    for (int k = 0; k < all.length; k++) {
      all[k] = compensateOne(run, pending.get(k));
    }
    return CompletableFuture.allOf(all);
  }

  private static CompletableFuture<Void> compensateOne(SagaRun<?> run, int i) {
    int base;
    synchronized (run) {
      base = run.state.steps[i].compensationAttempts;
      run.quietly(
          run.write(
              List.of(run.event(SagaEventType.STEP_COMPENSATION_STARTED, i, base, null, null, null)),
              null,
              false));
    }
    long t0 = run.engine.ticker.read();
    return new Attempts<>(run, i, true, base, Long.MAX_VALUE)
        .start()
        .thenCompose(
            outcome -> {
              long nanos = run.engine.ticker.read() - t0;
              if (run.isStopped()) {
                return CompletableFuture.completedFuture(null);
              }
              SagaMetrics metrics = run.saga.metrics;
              (outcome.ok() ? metrics.compensationSuccess[i] : metrics.compensationFailure[i])
                  .record(nanos);
              synchronized (run) {
                SagaEvent e =
                    outcome.ok()
                        ? run.event(SagaEventType.STEP_COMPENSATED, i, 0, null, null, null)
                        : run.event(
                            SagaEventType.STEP_COMPENSATION_FAILED,
                            i,
                            0,
                            outcome.outcome(),
                            null,
                            outcome.error());
                return run.write(List.of(e), null, false);
              }
            });
  }
}
