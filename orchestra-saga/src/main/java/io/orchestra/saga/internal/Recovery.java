package io.orchestra.saga.internal;

import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.SagaNotFoundException;
import io.orchestra.saga.UnknownSagaDefinitionException;
import io.orchestra.saga.journal.LeaseRef;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.StoredSaga;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takeover and lease keeping for one engine: claims sagas whose lease expired (for registered
 * definition versions only), rebuilds and resumes them, renews the leases of the sagas this node
 * runs and stops those it lost, and runs both periodically on the scheduler (the work itself on
 * the executor, since it blocks on the journal). Thread-safe. Not public API.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final SagaEngine engine;
  private volatile Scheduler.Cancellable recoveryTimer;
  private volatile Scheduler.Cancellable renewTimer;
  private volatile boolean stopped;

  Recovery(SagaEngine engine) {
    this.engine = engine;
  }

  /** The first look now (on the caller's thread), then periodic looks and renewals. */
  int start() {
    int n = recoverNow(true);
    renewTimer = schedule(this::renewLeases, engine.config.recovery().leaseRenewInterval().toNanos(), true);
    recoveryTimer =
        schedule(() -> recoverNow(false), engine.config.recovery().recoveryInterval().toNanos(), false);
    return n;
  }

  void stop() {
    stopped = true;
    Scheduler.Cancellable t = recoveryTimer;
    if (t != null) {
      t.cancel();
    }
    t = renewTimer;
    if (t != null) {
      t.cancel();
    }
  }

  /** Claims and resumes expired sagas once; returns how many were claimed. */
  int recoverNow(boolean includeOwn) {
    Set<String> keys = engine.definitionKeys();
    if (keys.isEmpty() || stopped) {
      return 0;
    }
    long now = engine.clock.millis();
    List<SagaRecord> claimed =
        engine.journal.claimExpired(
            engine.nodeId,
            keys,
            now,
            now + engine.config.recovery().leaseDuration().toMillis(),
            engine.config.recovery().recoveryBatchSize(),
            includeOwn);
    for (SagaRecord record : claimed) {
      try {
        resume(record);
      } catch (RuntimeException e) {
        // The lease runs out and a later look tries again; a saga is never dropped.
        log.warn("cannot resume saga {}: {}", record.sagaId(), e.toString());
      }
    }
    return claimed.size();
  }

  private void resume(SagaRecord record) {
    CompiledSaga<?> saga = engine.compiled(record.definitionKey());
    if (saga == null) {
      throw new UnknownSagaDefinitionException(record.definitionName(), record.definitionVersion());
    }
    StoredSaga stored =
        engine.journal.load(record.sagaId()).orElseThrow(() -> new SagaNotFoundException(record.sagaId()));
    resume(saga, stored, record.epoch());
  }

  private <D> void resume(CompiledSaga<D> saga, StoredSaga stored, long epoch) {
    SagaState state = engine.stateCodec.rebuild(stored);
    D data = engine.dataCodec.read(state.dataJson, saga.definition.dataType());
    SagaRun<D> run = new SagaRun<>(engine, saga, state, epoch, data);
    SagaRun<?> old = engine.replace(run);
    if (old != null) {
      // This node took its own saga back (start() after execute(), or its lease ran out while it
      // was still running it): the old run is fenced out, but its caller keeps waiting for the
      // outcome, which the new run delivers.
      old.supersededBy(run);
    }
    saga.metrics.recoveries.increment();
    saga.metrics.event(
        "saga.recovered",
        state.sagaId,
        engine.clock.millis(),
        Map.of("node", engine.nodeId, "epoch", Long.toString(epoch)));
    run.recovered();
    engine.dispatch(run::loop);
  }

  /** Extends the leases of the sagas this node runs; stops those it lost. */
  void renewLeases() {
    List<SagaRun<?>> runs = engine.runs();
    if (runs.isEmpty()) {
      return;
    }
    List<LeaseRef> refs = new ArrayList<>(runs.size());
    for (SagaRun<?> run : runs) {
      refs.add(new LeaseRef(run.sagaId(), run.epoch()));
    }
    Set<String> lost =
        engine.journal.renewLeases(
            refs, engine.clock.millis() + engine.config.recovery().leaseDuration().toMillis());
    for (SagaRun<?> run : runs) {
      // A run that just wrote its final status is no longer leased, and that is no loss.
      if (lost.contains(run.sagaId()) && run.isActive()) {
        run.stop(new SagaLeaseLostException(run.sagaId(), run.epoch()));
      }
    }
  }

  private Scheduler.Cancellable schedule(Runnable task, long periodNanos, boolean renew) {
    return engine.scheduler.schedule(
        () ->
            engine.dispatch(
                () -> {
                  try {
                    task.run();
                  } catch (RuntimeException e) {
                    log.warn("saga {} failed: {}", renew ? "lease renewal" : "recovery", e.toString());
                  } finally {
                    if (!stopped) {
                      Scheduler.Cancellable next = schedule(task, periodNanos, renew);
                      if (renew) {
                        renewTimer = next;
                      } else {
                        recoveryTimer = next;
                      }
                    }
                  }
                }),
        periodNanos);
  }
}
