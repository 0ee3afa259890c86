package io.orchestra.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncRetryTest {
  private final VirtualTime time = new VirtualTime();
  private final RetryPolicy policy =
      RetryPolicy.builder().maxRetries(3).backoff(Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(10))).build();
  private final AsyncRetry retry = new AsyncRetry(policy, time, RandomSource.seeded(1));

  @Test
  void retriesRetriableStatuses_withBackoffOnTheScheduler_untilSuccess() {
    AtomicInteger attempts = new AtomicInteger();
    List<Long> startedAt = new ArrayList<>();
    CompletableFuture<Response> result =
        retry.executeCall(
            attempt -> {
              startedAt.add(time.read() / 1_000_000);
              return CompletableFuture.completedFuture(Response.of(attempts.incrementAndGet() < 3 ? 503 : 200));
            },
            AsyncRetry.RetryGate.ALWAYS);

    assertThat(result).isNotDone();
    time.advance(Duration.ofMillis(100));
    assertThat(result).isNotDone();
    time.advance(Duration.ofMillis(200));
    assertThat(result.join().status()).isEqualTo(200);
    assertThat(startedAt).containsExactly(0L, 100L, 300L);
  }

  @Test
  void stopsAfterMaxRetries_returningTheLastResponse() {
    CompletableFuture<Response> result =
        retry.executeCall(attempt -> CompletableFuture.completedFuture(Response.of(500)), AsyncRetry.RetryGate.ALWAYS);
    time.advance(Duration.ofMinutes(1));
    assertThat(result.join().status()).isEqualTo(500);
  }

  @Test
  void nonRetriableOutcomes_completeAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Response> result =
        retry.executeCall(
            attempt -> {
              attempts.incrementAndGet();
              return CompletableFuture.completedFuture(Response.of(404));
            },
            AsyncRetry.RetryGate.ALWAYS);
    assertThat(result.join().status()).isEqualTo(404);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void failuresPropagateUnwrapped_andTheGateCanStopRetries() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Response> result =
        retry.executeCall(
            attempt -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new TransportException(CallOutcome.CONNECT_FAILURE, null, "refused", null));
            },
            (attempt, outcome) -> attempt <= 1);
    time.advance(Duration.ofMinutes(1));
    assertThat(result).isCompletedExceptionally();
    assertThat(attempts).hasValue(2);
    assertThat(result.handle((r, e) -> e).join()).isInstanceOf(TransportException.class);
  }

  @Test
  void cancellingTheResult_startsNoFurtherAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Response> result =
        retry.executeCall(
            attempt -> {
              attempts.incrementAndGet();
              return CompletableFuture.completedFuture(Response.of(503));
            },
            AsyncRetry.RetryGate.ALWAYS);
    assertThat(attempts).hasValue(1); // the first retry now waits 100 ms on the scheduler

    result.cancel(false);
    time.advance(Duration.ofMinutes(1));

    assertThat(attempts).as("no request after the caller gave up").hasValue(1);
  }

  @Test
  void aThrowingGateOrScheduler_completesTheResultExceptionally() {
    CompletableFuture<Response> gated =
        retry.executeCall(
            attempt -> CompletableFuture.completedFuture(Response.of(503)),
            (attempt, outcome) -> {
              throw new IllegalStateException("budget store down");
            });
    assertThat(gated).isCompletedExceptionally();
    assertThat(gated.handle((r, e) -> e).join()).hasMessageContaining("budget store down");

    AsyncRetry rejecting =
        new AsyncRetry(
            policy,
            (task, delayNanos) -> {
              throw new java.util.concurrent.RejectedExecutionException("scheduler shut down");
            },
            RandomSource.seeded(1));
    CompletableFuture<Response> scheduled =
        rejecting.executeCall(attempt -> CompletableFuture.completedFuture(Response.of(503)), AsyncRetry.RetryGate.ALWAYS);
    assertThat(scheduled).isCompletedExceptionally();
    assertThat(scheduled.handle((r, e) -> e).join()).hasMessageContaining("scheduler shut down");
  }

  @Test
  void statusCodeListIsRetriedToo() {
    AsyncRetry conflictRetry =
        new AsyncRetry(policy.toBuilder().retriableStatusCodes(java.util.Set.of(409)).build(), time, RandomSource.seeded(1));
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Response> result =
        conflictRetry.executeCall(
            attempt -> CompletableFuture.completedFuture(Response.of(attempts.incrementAndGet() == 1 ? 409 : 201)),
            AsyncRetry.RetryGate.ALWAYS);
    time.advance(Duration.ofSeconds(1));
    assertThat(result.join().status()).isEqualTo(201);
  }
}
