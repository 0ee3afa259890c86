package io.orchestra.saga.internal;

import io.orchestra.core.transport.CallOutcome;
import io.orchestra.saga.SagaException;
import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives one saga on this node. The next action is always decided from the {@link SagaState}
 * (which only events change), so a fresh run, a recovered run and an operator's run share one
 * code path. {@link #loop()} is a trampoline: work that completes at once continues in the same
 * frame, work that completes later re-enters the loop from its callback; at most one loop is
 * active per run. Every event is applied and handed to the journal under the run's monitor, so
 * sequence numbers and journal order agree even when parallel compensations report at once.
 *
 * <p>The run owns the state, the data and that monitor, the loop, the journal writes ({@link
 * #event}, {@link #write}) and the ending ({@link #stop}, {@link #supersededBy}, finishing); what
 * to do next is decided by {@link ForwardSteps} while the saga runs and by {@link
 * CompensatingSteps} while it compensates. Those two are stateless and lock this run's monitor
 * themselves, by the rule above: {@link #state}, {@link #jsonOf} and the writes are touched only
 * under it; {@link #data} and {@link #stopped} are volatile and also read without it. Not public
 * API.
 */
final class SagaRun<D> {
  final SagaEngine engine;
  final CompiledSaga<D> saga;
  /** Guarded by the monitor. */
  final SagaState state;
  private final long epoch;
  /** Written under the monitor (with {@link #jsonOf}); volatile, so also read without it. */
  volatile D data;
  /**
   * The data instance that {@code state.dataJson} is the JSON of, or null when unknown (a new run's
   * data is a copy read back from the JSON of the caller's instance). Guarded by the monitor.
   */
  Object jsonOf;
  final CompletableFuture<SagaResult<D>> result = new CompletableFuture<>();
  private volatile boolean stopped;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile long lastProgressNanos;

  SagaRun(SagaEngine engine, CompiledSaga<D> saga, SagaState state, long epoch, D data) {
    this.engine = engine;
    this.saga = saga;
    this.state = state;
    this.epoch = epoch;
    this.data = data;
    this.lastProgressNanos = engine.ticker.read();
  }

  String sagaId() {
    return state.sagaId;
  }

  long epoch() {
    return epoch;
  }

  boolean isStopped() {
    return stopped;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  synchronized boolean isActive() {
    return state.status.isActive();
  }

  /** Runs {@code action} with the state under the monitor (for status views). */
  synchronized <T> T read(java.util.function.Function<SagaState, T> action) {
    return action.apply(state);
  }

  // ---------------------------------------------------------------- the loop

  void loop() {
    while (!stopped) {
      CompletableFuture<?> pending;
      try {
        pending = advance();
      } catch (Throwable t) {
        stop(t);
        return;
      }
      if (pending == null) {
        return;
      }
      if (!pending.isDone()) {
        pending.whenComplete(
            (v, e) -> {
              if (e != null) {
                stop(e);
              } else {
                loop();
              }
            });
        return;
      }
      if (pending.isCompletedExceptionally()) {
        stop(failureOf(pending));
        return;
      }
    }
  }

  private CompletableFuture<?> advance() {
    SagaStatus status;
    int next;
    synchronized (this) {
      status = state.status;
      next = state.nextStep();
    }
    switch (status) {
      case RUNNING:
        if (next == saga.size()) {
          return ForwardSteps.complete(this);
        }
        if (saga.compensatable(next) && engine.clock.millis() >= state.deadlineAt) {
          return ForwardSteps.timedOut(this, next);
        }
        return ForwardSteps.runStep(this, next);
      case COMPENSATING:
        return CompensatingSteps.compensate(this);
      default:
        finish();
        return null;
    }
  }

  // ---------------------------------------------------------------- events

  /** Records a failed attempt that will be retried (not waited for). */
  void attemptFailed(int step, boolean compensating, int attempt, String outcome, String error) {
    (compensating ? saga.metrics.compensationRetries[step] : saga.metrics.stepRetries[step]).increment();
    synchronized (this) {
      if (stopped) {
        return;
      }
      SagaEventType type =
          compensating
              ? SagaEventType.STEP_COMPENSATION_ATTEMPT_FAILED
              : SagaEventType.STEP_ATTEMPT_FAILED;
      quietly(write(List.of(event(type, step, attempt, outcome, null, error)), null, false));
    }
  }

  /** Records the takeover of this saga by this node (not waited for). */
  synchronized void recovered() {
    quietly(
        write(
            List.of(event(SagaEventType.SAGA_RECOVERED, -1, (int) epoch, null, null, engine.nodeId)),
            null,
            false));
  }

  /** Records operator actions and returns the durable write. */
  synchronized CompletableFuture<Void> operator(SagaEventType type, List<Integer> steps, String note) {
    List<SagaEvent> events = new ArrayList<>(steps.size());
    for (int i : steps) {
      events.add(event(type, i, 0, null, null, note));
    }
    return write(events, state.status, false);
  }

  /** Creates the next event and applies it. Caller holds the monitor. */
  SagaEvent event(
      SagaEventType type, int step, int attempt, String outcome, String json, String detail) {
    SagaEvent e =
        new SagaEvent(
            state.sagaId,
            state.lastSeq + 1,
            type,
            engine.clock.millis(),
            step,
            attempt,
            outcome,
            json,
            storable(detail));
    state.apply(e, engine.stateCodec);
    return e;
  }

  /**
   * {@code text} with NUL characters replaced by U+FFFD: details carry error messages and notes
   * from anywhere (a participant's response body), and PostgreSQL refuses NUL in text columns,
   * which would make every later write of the saga fail for good. Data JSON needs nothing: Jackson
   * escapes control characters.
   */
  static String storable(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }

  /** Hands events to the journal. Caller holds the monitor, which keeps journal order. */
  CompletableFuture<Void> write(List<SagaEvent> events, SagaStatus status, boolean snapshot) {
    boolean settled = status != null && !status.isActive();
    boolean keepAll = engine.config.persistence().eventSourcing();
    SagaSnapshot snap = null;
    if (snapshot || (settled && !keepAll)) {
      snap = new SagaSnapshot(state.sagaId, state.lastSeq, engine.stateCodec.write(state), engine.clock.millis());
    }
    lastProgressNanos = engine.ticker.read();
    return engine
        .journal
        .append(new SagaAppend(state.sagaId, epoch, events, status, snap, snap != null && !keepAll, false))
        .toCompletableFuture();
  }

  /** Stops the run if {@code write} fails; does not wait for it. */
  void quietly(CompletableFuture<Void> write) {
    if (write.isDone()) {
      if (write.isCompletedExceptionally()) {
        stop(failureOf(write));
      }
    } else {
      write.whenComplete(
          (v, e) -> {
            if (e != null) {
              stop(e);
            }
          });
    }
  }

  // ---------------------------------------------------------------- contexts

  StepContextImpl<D> context(int step, int attempt, boolean compensating, boolean first, long timeoutNanos) {
    D d;
    String json;
    synchronized (this) {
      json = state.dataJson;
      d = data;
    }
    if (compensating || !first) {
      d = engine.dataCodec.read(json, saga.definition.dataType()); // a fresh copy per retry
    }
    return new StepContextImpl<>(this, step, attempt, compensating, d, json, timeoutNanos);
  }

  // ---------------------------------------------------------------- ending

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    SagaResult<D> r;
    SagaStatus status;
    String failure;
    synchronized (this) {
      status = state.status;
      failure = state.failure;
      r = Views.result(state, data);
    }
    engine.deactivate(this);
    saga.metrics.finished(status, state.sagaId, engine.clock.millis(), failure);
    result.complete(r);
  }

  /** Stops driving the saga on this node; the journal keeps its last durable state. */
  void stop(Throwable cause) {
    Throwable t = CallOutcome.unwrap(cause);
    synchronized (this) {
      if (stopped || finished.get()) {
        return;
      }
      stopped = true;
    }
    engine.deactivate(this);
    if (t instanceof SagaLeaseLostException) {
      saga.metrics.leaseLost.increment();
      saga.metrics.event("saga.lease_lost", state.sagaId, engine.clock.millis(), Map.of("node", engine.nodeId));
    }
    result.completeExceptionally(
        t instanceof SagaException ? t : new SagaException("saga " + state.sagaId + " stopped: " + t, t));
  }

  /**
   * Hands this run over to {@code successor}, a newer run of the same saga on this node (the node
   * took its own saga back at a new epoch, for example on {@code start()} after {@code execute()}):
   * this run stops writing, but its result is not failed; it completes with the successor's, so the
   * caller's handle survives. Its in-flight step, if any, is run again by the successor under the
   * same idempotency key.
   */
  @SuppressWarnings("unchecked")
  void supersededBy(SagaRun<?> successor) {
    synchronized (this) {
      if (stopped || finished.get()) {
        return;
      }
      stopped = true;
    }
    engine.deactivate(this);
    successor.result.whenComplete(
        (r, e) -> {
          if (e != null) {
            result.completeExceptionally(e);
          } else {
            result.complete((SagaResult<D>) r);
          }
        });
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    try {
      f.join();
      return new IllegalStateException("not failed");
    } catch (Throwable t) {
      return t;
    }
  }

  @Override
  public String toString() {
    return "SagaRun[" + state.sagaId + ", epoch " + epoch + "]";
  }
}
