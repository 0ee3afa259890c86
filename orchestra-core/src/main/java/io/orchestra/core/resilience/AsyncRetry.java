package io.orchestra.core.resilience;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs an asynchronous operation under a {@link RetryPolicy}: waits on the injected {@link
 * Scheduler} between attempts (never blocking a thread), and completes with the first result that
 * is not retriable, or with the last result or error once retries are exhausted or refused.
 *
 * <p>Cancelling (or otherwise completing) the returned future stops the retries: no further
 * attempt starts. If the classifier, the {@link RetryGate} or the scheduler throws, the future
 * completes exceptionally with that exception.
 *
 * <p>Thread-safe; one instance may run many operations at once.
 */
public final class AsyncRetry {
  private final RetryPolicy policy;
  private final Scheduler scheduler;
  private final RandomSource random;

  /** Retries under {@code policy}, waiting on {@code scheduler}, jittering with {@code random}. */
  public AsyncRetry(RetryPolicy policy, Scheduler scheduler, RandomSource random) {
    this.policy = Checks.notNull("policy", policy);
    this.scheduler = Checks.notNull("scheduler", scheduler);
    this.random = Checks.notNull("random", random);
  }

  /** The policy. */
  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Runs {@code operation}, classifying results with {@code classifier}.
   *
   * @param operation called with the attempt number (0 for the first attempt)
   * @param classifier the outcome of a result or error ({@code null} result with an error)
   * @param gate consulted before each retry with the attempt number about to run; false stops
   *     retrying (a retry budget, a deadline)
   */
  public <T> CompletableFuture<T> execute(
      Attempt<T> operation, Classifier<T> classifier, RetryGate gate) {
    CompletableFuture<T> result = new CompletableFuture<>();
    run(operation, classifier, gate, 0, 0, result);
    return result;
  }

  /** Runs an operation returning {@link Response}s, classified by status and exception. */
  public CompletableFuture<Response> executeCall(Attempt<Response> operation, RetryGate gate) {
    return execute(operation, AsyncRetry::classifyResponse, gate);
  }

  /** The outcome of a {@link Response} or of the error a call failed with. */
  public static CallOutcome classifyResponse(Response response, Throwable error) {
    return error != null ? CallOutcome.ofThrowable(error) : response.outcome();
  }

  private <T> void run(
      Attempt<T> operation,
      Classifier<T> classifier,
      RetryGate gate,
      int attempt,
      long previousDelay,
      CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // the caller cancelled (or completed) the result while the retry was waiting
    }
    CompletionStage<T> stage;
    try {
      stage = operation.run(attempt);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (value, error) -> {
          if (result.isDone()) {
            return; // cancelled by the caller
          }
          try {
            next(operation, classifier, gate, attempt, previousDelay, result, value, error);
          } catch (RuntimeException e) {
            // A throwing classifier, gate or scheduler must not leave the caller waiting forever.
            result.completeExceptionally(e);
          }
        });
  }

  /** Completes {@code result} with this attempt's result, or schedules the next attempt. */
  private <T> void next(
      Attempt<T> operation,
      Classifier<T> classifier,
      RetryGate gate,
      int attempt,
      long previousDelay,
      CompletableFuture<T> result,
      T value,
      Throwable error) {
    CallOutcome outcome = classifier.classify(value, error);
    int status = value instanceof Response r ? r.status() : 0;
    int next = attempt + 1;
    boolean retry =
        outcome != CallOutcome.SUCCESS
            && attempt < policy.maxRetries()
            && policy.isRetriable(outcome, status)
            && gate.mayRetry(next, outcome);
    if (!retry) {
      if (error != null) {
        result.completeExceptionally(CallOutcome.unwrap(error));
      } else {
        result.complete(value);
      }
      return;
    }
    long delay = policy.backoff().delayNanos(next, previousDelay, random);
    scheduler.schedule(() -> run(operation, classifier, gate, next, delay, result), delay);
  }

  /** One attempt of an operation. */
  @FunctionalInterface
  public interface Attempt<T> {
    /** Starts attempt {@code attempt} (0-based). */
    CompletionStage<T> run(int attempt);
  }

  /** Classifies the result of an attempt. */
  @FunctionalInterface
  public interface Classifier<T> {
    /** The outcome of {@code value} or {@code error} (exactly one is set, unless T allows null). */
    CallOutcome classify(T value, Throwable error);
  }

  /** Decides whether a retry that the policy allows may happen now. */
  @FunctionalInterface
  public interface RetryGate {
    /** A gate that always allows. */
    RetryGate ALWAYS = (attempt, outcome) -> true;

    /** Whether attempt {@code attempt} may run after {@code outcome}. */
    boolean mayRetry(int attempt, CallOutcome outcome);
  }
}
