package io.orchestra.saga.internal;

import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.core.time.Timeouts;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.saga.NonRetriableStepException;
import io.orchestra.saga.SagaDataException;
import io.orchestra.saga.ServiceCallException;
import io.orchestra.saga.StepTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * All attempts of one invocation of a step or compensation: runs the action on the executor,
 * bounds each attempt by its timeout (and the saga deadline), classifies failures and waits out
 * the backoff on the scheduler between retries. The loop is written here rather than with {@code
 * AsyncRetry} because it also needs the saga deadline, retriable status codes carried by
 * exceptions, and an event per failed attempt. Not public API.
 */
final class Attempts<D> {
  private final SagaRun<D> run;
  private final SagaEngine engine;
  private final int step;
  private final boolean compensating;
  private final int base;
  private final RetryPolicy policy;
  private final long timeoutNanos;
  private final long deadlineMillis;
  private final CompletableFuture<Outcome> out = new CompletableFuture<>();
  private long previousDelay;

  Attempts(SagaRun<D> run, int step, boolean compensating, int base, long deadlineMillis) {
    this.run = run;
    this.engine = run.engine;
    this.step = step;
    this.compensating = compensating;
    this.base = base;
    CompiledSaga<D> saga = run.saga;
    this.policy = compensating ? saga.compensationPolicy[step] : saga.retryPolicy[step];
    this.timeoutNanos =
        compensating ? saga.compensationTimeoutNanos[step] : saga.timeoutNanos[step];
    this.deadlineMillis = deadlineMillis;
  }

  CompletableFuture<Outcome> start() {
    attempt(0);
    return out;
  }

  private void attempt(int n) {
    if (run.isStopped()) {
      out.complete(Outcome.failure(CallOutcome.CANCELLED.name(), "saga stopped on this node"));
      return;
    }
    long timeout = timeoutNanos;
    if (deadlineMillis != Long.MAX_VALUE) {
      long left = deadlineMillis - engine.clock.millis();
      if (left <= 0) {
        out.complete(Outcome.failure(CallOutcome.TIMEOUT.name(), "saga timed out before the attempt"));
        return;
      }
      timeout = Math.min(timeout, left * 1_000_000L);
    }
    StepContextImpl<D> ctx = run.context(step, base + n, compensating, n == 0, timeout);
    CompletableFuture<Object> stage = callUser(ctx);
    if (!stage.isDone()) {
      long t = timeout;
      stage =
          Timeouts.within(
              stage,
              t,
              engine.scheduler,
              () ->
                  new StepTimeoutException(
                      (compensating ? "compensation of step " : "step ")
                          + ctx.stepName()
                          + " timed out after "
                          + t / 1_000_000
                          + " ms"));
    }
    if (stage.isDone()) {
      if (stage.isCompletedExceptionally()) {
        handle(n, null, failureOf(stage));
      } else {
        handle(n, stage.getNow(null), null);
      }
    } else {
      stage.whenComplete((value, error) -> handle(n, value, error));
    }
  }

  private CompletableFuture<Object> callUser(StepContextImpl<D> ctx) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            CompletionStage<?> s =
                compensating
                    ? run.saga.definition.step(step).compensation().compensate(ctx)
                    : run.saga.definition.step(step).action().execute(ctx);
            if (s == null) {
              f.completeExceptionally(
                  new NullPointerException("step " + ctx.stepName() + " returned a null stage"));
            } else {
              s.whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      f.completeExceptionally(e);
                    } else {
                      f.complete(v);
                    }
                  });
            }
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
        };
    try {
      engine.executor.execute(task);
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private void handle(int n, Object value, Throwable error) {
    if (error == null) {
      out.complete(Outcome.success(value));
      return;
    }
    Throwable t = CallOutcome.unwrap(error);
    String outcome;
    int status = 0;
    boolean definite = false;
    if (t instanceof NonRetriableStepException || t instanceof SagaDataException) {
      outcome = CallOutcome.CLIENT_ERROR.name();
      definite = true;
    } else if (t instanceof ResultRejectedException) {
      outcome = SagaState.RESULT_REJECTED;
      definite = true;
    } else if (t instanceof ServiceCallException sce) {
      outcome = sce.outcome().name();
      status = sce.status();
    } else if (t instanceof StepTimeoutException) {
      outcome = CallOutcome.TIMEOUT.name();
    } else {
      outcome = CallOutcome.ofThrowable(t).name();
    }
    String message = describe(t);
    boolean retry =
        !definite
            && n < policy.maxRetries()
            && policy.isRetriable(CallOutcome.valueOf(outcome), status)
            && !run.isStopped();
    if (!retry) {
      out.complete(Outcome.failure(outcome, message));
      return;
    }
    long delay = policy.backoff().delayNanos(n + 1, previousDelay, engine.random);
    previousDelay = delay;
    if (deadlineMillis != Long.MAX_VALUE
        && engine.clock.millis() + delay / 1_000_000 >= deadlineMillis) {
      out.complete(Outcome.failure(outcome, message + " (no time left for a retry)"));
      return;
    }
    run.attemptFailed(step, compensating, base + n, outcome, message);
    engine.scheduler.schedule(() -> attempt(n + 1), delay);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    String text = m == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    return text.length() > 1000 ? text.substring(0, 1000) : text;
  }
}
