package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink.Span;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import io.orchestra.mesh.PeerContext;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request on the asynchronous path: attempts with per-try timeouts, retries with backoff on
 * the injected scheduler (each on an instance not yet tried when there is one), the retry budget,
 * and the overall deadline. Created only when the first attempt did not finish synchronously with
 * a final answer.
 *
 * <p>Concurrency: attempts run one after another; each attempt is concluded exactly once (by its
 * completion, its per-try timer, the deadline or a cancellation, whichever wins its flag), and the
 * request is finished exactly once (by {@link #finished}). Between attempts the state is handed
 * over through the scheduler, which orders the writes before the next attempt's reads.
 */
final class Exchange {
  private final MeshEngine engine;
  private final DestinationState ds;
  private final CompiledService svc;
  private final CircuitBreaker serviceBreaker;
  private final RetryBudgetState budget;
  private final Group group;
  private final Request request;
  private final PeerContext peer;
  private final CompiledService.Choice choice;
  private final boolean sampled;
  private final TraceContext parent;
  private final Span root;
  private final long start;
  private final long deadline;
  private final InstanceState[] tried;
  private int triedCount;
  private long previousDelay;
  private Response lastResponse;
  private Throwable lastError;
  private CallOutcome lastOutcome = CallOutcome.FAILURE;
  private InstanceState lastTarget;
  private Scheduler.Cancellable deadlineTimer;
  private volatile Attempt current;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Response> result = new CompletableFuture<>();

  Exchange(
      MeshEngine engine,
      DestinationState ds,
      CompiledService svc,
      CircuitBreaker serviceBreaker,
      RetryBudgetState budget,
      Group group,
      Request request,
      PeerContext peer,
      CompiledService.Choice choice,
      boolean sampled,
      TraceContext parent,
      Span root,
      long start,
      long deadline,
      InstanceState first) {
    this.engine = engine;
    this.ds = ds;
    this.svc = svc;
    this.serviceBreaker = serviceBreaker;
    this.budget = budget;
    this.group = group;
    this.request = request;
    this.peer = peer;
    this.choice = choice;
    this.sampled = sampled;
    this.parent = parent;
    this.root = root;
    this.start = start;
    this.deadline = deadline;
    this.tried = new InstanceState[svc.retry.maxRetries + 1];
    this.tried[triedCount++] = first;
  }

  /** Takes over the first attempt (already sent) and returns the request's result. */
  CompletableFuture<Response> start(CompletionStage<Response> stage, InstanceState target, long t0, Span span, long perTry) {
    long remaining = deadline - engine.ticker.read();
    deadlineTimer = engine.later(this::onDeadline, Math.max(0, remaining));
    result.whenComplete(
        (r, e) -> {
          if (e instanceof CancellationException) {
            onCancelled();
          }
        });
    track(new Attempt(0, target, t0, span), stage, perTry);
    return result;
  }

  private void track(Attempt a, CompletionStage<Response> stage, long perTry) {
    CompletableFuture<Response> cf;
    if (stage instanceof CompletableFuture<Response> f) {
      cf = f;
    } else {
      CompletableFuture<Response> copy = new CompletableFuture<>();
      stage.whenComplete((r, e) -> {
        if (e != null) {
          copy.completeExceptionally(e);
        } else {
          copy.complete(r);
        }
      });
      cf = copy;
    }
    a.future = cf;
    current = a;
    if (finished.get()) {
      abandon(a); // the deadline or a cancellation won while this attempt was being sent
      return;
    }
    if (!cf.isDone()) {
      a.timer = engine.later(() -> onAttemptTimeout(a, perTry), perTry);
    }
    cf.whenComplete((r, e) -> onAttemptComplete(a, r, e));
  }

  private void onAttemptComplete(Attempt a, Response r, Throwable error) {
    if (!a.done.compareAndSet(false, true)) {
      return; // already concluded by its timer, the deadline or a cancellation
    }
    if (a.timer != null) {
      a.timer.cancel();
    }
    long now = engine.ticker.read();
    if (error == null && r == null) {
      Endpoint endpoint = a.target.instance.endpoint();
      error = new TransportException(CallOutcome.FAILURE, endpoint, "the transport completed without a response from " + endpoint, null);
    }
    CallOutcome outcome = error == null ? r.outcome() : CallOutcome.ofThrowable(error);
    int status = error == null ? r.status() : 0;
    engine.accounting.endAttempt(ds, a.target, outcome, status, now - a.t0, a.span);
    after(a, r, error == null ? null : CallOutcome.unwrap(error), outcome, status, now);
  }

  private void onAttemptTimeout(Attempt a, long perTry) {
    if (!a.done.compareAndSet(false, true)) {
      return;
    }
    long now = engine.ticker.read();
    engine.accounting.endAttempt(ds, a.target, CallOutcome.TIMEOUT, 0, now - a.t0, a.span);
    a.future.cancel(true);
    Endpoint endpoint = a.target.instance.endpoint();
    TransportException timeout =
        new TransportException(
            CallOutcome.TIMEOUT,
            endpoint,
            "per-try timeout of " + perTry / 1_000_000 + " ms elapsed calling " + request.method() + " " + endpoint + request.path(),
            null);
    after(a, null, timeout, CallOutcome.TIMEOUT, 0, now);
  }

  /** Decides, after attempt {@code a}, between another attempt and the end. */
  private void after(Attempt a, Response r, Throwable error, CallOutcome outcome, int status, long now) {
    lastResponse = r;
    lastError = error;
    lastOutcome = outcome;
    lastTarget = a.target;
    if (finished.get()) {
      return;
    }
    if (outcome != CallOutcome.SUCCESS && a.number < svc.retry.maxRetries && svc.retry.retriable(outcome, status)) {
      long remaining = deadline - now;
      long delay = svc.retry.policy.backoff().delayNanos(a.number + 1, previousDelay, engine.random);
      if (delay < remaining) {
        if (budget.tryRetry()) {
          previousDelay = delay;
          int next = a.number + 1;
          if (delay <= 0) {
            MeshTelemetry.increment(ds.retries);
            nextAttempt(next);
            return;
          }
          if (engine.later(() -> nextAttempt(next), delay) != null) {
            MeshTelemetry.increment(ds.retries);
            return;
          }
          // The scheduler refused the backoff timer (shut down): no retry, answer with this attempt.
        } else {
          MeshTelemetry.increment(ds.budgetExhausted);
        }
      }
    }
    complete(now);
  }

  private void nextAttempt(int number) {
    if (finished.get()) {
      return;
    }
    // A different instance when one is left; otherwise any instance (the seed retries anyway).
    InstanceState target = engine.acquire(svc, group, false, tried, triedCount);
    if (target == null && triedCount > 0) {
      target = engine.acquire(svc, group, false, null, 0);
    }
    if (target == null) {
      complete(engine.ticker.read()); // every breaker refuses: answer with what the last attempt got
      return;
    }
    if (triedCount < tried.length) {
      tried[triedCount++] = target;
    }
    long now = engine.ticker.read();
    long perTry = Math.min(svc.retry.perTryNanos, Math.max(1, deadline - now));
    TraceContext context = parent == null ? null : parent.newChild(engine.random);
    Span span =
        sampled ? engine.accounting.startAttemptSpan(request, ds, target, choice, context, parent, number, engine.telemetry.epochNanos()) : Span.NOOP;
    long t0 = engine.ticker.read();
    target.enter();
    track(new Attempt(number, target, t0, span), engine.send(target, TraceHeaders.outgoing(request, context, perTry)), perTry);
  }

  /** Ends the request with the last attempt's response or error. */
  private void complete(long now) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    Response r = lastResponse;
    int status = r == null ? 0 : r.status();
    engine.accounting.finish(ds, serviceBreaker, status, lastOutcome, start, now, request, peer, lastTarget, choice, sampled, parent, root, MeshTelemetry.UNKNOWN_EPOCH);
    if (r != null) {
      result.complete(r);
    } else {
      result.completeExceptionally(lastError);
    }
  }

  private void onDeadline() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    long now = engine.ticker.read();
    Attempt a = current;
    InstanceState target = a == null ? lastTarget : a.target;
    if (a != null && a.done.compareAndSet(false, true)) {
      if (a.timer != null) {
        a.timer.cancel();
      }
      engine.accounting.endAttempt(ds, a.target, CallOutcome.TIMEOUT, 0, now - a.t0, a.span);
      a.future.cancel(true);
    }
    engine.accounting.finish(ds, serviceBreaker, 0, CallOutcome.TIMEOUT, start, now, request, peer, target, choice, sampled, parent, root, MeshTelemetry.UNKNOWN_EPOCH);
    int attempts = a == null ? 1 : a.number + 1;
    result.completeExceptionally(
        new TransportException(
            CallOutcome.TIMEOUT,
            target == null ? null : target.instance.endpoint(),
            "request "
                + request.method()
                + " "
                + request.path()
                + " to "
                + ds.service
                + " did not complete within "
                + (deadline - start) / 1_000_000
                + " ms ("
                + attempts
                + (attempts == 1 ? " attempt)" : " attempts)"),
            null));
  }

  private void onCancelled() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    Attempt a = current;
    if (a != null) {
      abandon(a);
    }
    long now = engine.ticker.read();
    engine.accounting.finish(ds, serviceBreaker, 0, CallOutcome.CANCELLED, start, now, request, peer, a == null ? null : a.target, choice, sampled, parent, root, MeshTelemetry.UNKNOWN_EPOCH);
  }

  /** Concludes a running attempt as cancelled (its breaker permit is released, not judged). */
  private void abandon(Attempt a) {
    if (a.done.compareAndSet(false, true)) {
      if (a.timer != null) {
        a.timer.cancel();
      }
      engine.accounting.endAttempt(ds, a.target, CallOutcome.CANCELLED, 0, engine.ticker.read() - a.t0, a.span);
      if (a.future != null) {
        a.future.cancel(true);
      }
    }
  }

  /** One attempt: its instance, start, span, timer and completion flag. */
  private static final class Attempt {
    final int number;
    final InstanceState target;
    final long t0;
    final Span span;
    final AtomicBoolean done = new AtomicBoolean();
    volatile Scheduler.Cancellable timer;
    volatile CompletableFuture<Response> future;

    Attempt(int number, InstanceState target, long t0, Span span) {
      this.number = number;
      this.target = target;
      this.t0 = t0;
      this.span = span;
    }
  }
}
