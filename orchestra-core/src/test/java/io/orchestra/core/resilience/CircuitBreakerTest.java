package io.orchestra.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.resilience.CircuitBreakerConfig.SlidingWindowType;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.CallOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CircuitBreakerTest {
  private static final long MS = 1_000_000L;
  private final VirtualTime time = new VirtualTime();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.of("payments", config.build(), time);
  }

  private static CircuitBreakerConfig.Builder small() {
    return CircuitBreakerConfig.builder()
        .slidingWindowSize(10)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .permittedCallsInHalfOpenState(3)
        .slowCallDuration(Duration.ofSeconds(2));
  }

  private static void calls(CircuitBreaker cb, int n, boolean fail) {
    for (int i = 0; i < n; i++) {
      assertThat(cb.tryAcquirePermission()).isTrue();
      if (fail) {
        cb.onError(MS);
      } else {
        cb.onSuccess(MS);
      }
    }
  }

  @Test
  void closed_staysClosedBelowMinimumCalls_evenIfAllFail() {
    CircuitBreaker cb = breaker(small());
    calls(cb, 3, true);
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void closed_opensWhenFailureRateReachesThreshold() {
    CircuitBreaker cb = breaker(small());
    calls(cb, 2, false);
    calls(cb, 1, true);
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED); // 1/3, below minimum anyway
    calls(cb, 1, true); // 2/4 = 50%
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    assertThat(cb.tryAcquirePermission()).isFalse();
    assertThat(cb.metrics().notPermittedCalls()).isEqualTo(1);
  }

  @Test
  void closed_opensOnSlowCallRate() {
    CircuitBreaker cb = breaker(small().slowCallRateThreshold(75));
    for (int i = 0; i < 4; i++) {
      cb.tryAcquirePermission();
      cb.onSuccess(Duration.ofSeconds(3).toNanos());
    }
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void countWindow_forgetsOutcomesThatSlideOut() {
    CircuitBreaker cb = breaker(small().failureRateThreshold(60));
    calls(cb, 4, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);

    CircuitBreaker cb2 = breaker(small().minimumNumberOfCalls(10).failureRateThreshold(60));
    calls(cb2, 5, true);
    calls(cb2, 10, false); // the failures slide out of the 10-call window
    assertThat(cb2.metrics().calls()).isEqualTo(10);
    assertThat(cb2.metrics().failedCalls()).isZero();
    calls(cb2, 5, true);
    assertThat(cb2.state()).isEqualTo(CircuitState.CLOSED); // 5/10 < 60%
    calls(cb2, 1, true);
    assertThat(cb2.state()).isEqualTo(CircuitState.OPEN); // 6/10
  }

  @Test
  void countWindow_fullOfSuccesses_evictsALaterFailureAfterExactlyWindowSizeCalls() {
    CircuitBreaker cb = breaker(small().minimumNumberOfCalls(10).failureRateThreshold(20));
    calls(cb, 25, false); // the window is full of successes; further successes take the fast path
    calls(cb, 1, true);
    assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    calls(cb, 9, false);
    assertThat(cb.metrics().failedCalls()).as("the failure is still among the last 10").isEqualTo(1);
    calls(cb, 1, false);
    assertThat(cb.metrics().failedCalls()).as("now it slid out").isZero();
    assertThat(cb.metrics().calls()).isEqualTo(10);
    calls(cb, 1, true);
    calls(cb, 1, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN); // 2 of the last 10
  }

  @Test
  void timeWindow_forgetsOutcomesOlderThanTheWindow() {
    CircuitBreaker cb =
        breaker(small().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10).minimumNumberOfCalls(4));
    calls(cb, 3, true);
    time.advance(Duration.ofSeconds(11));
    calls(cb, 3, false);
    assertThat(cb.metrics().calls()).isEqualTo(3);
    calls(cb, 1, true);
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED); // 1/4 in window
    calls(cb, 2, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN); // 3/6
  }

  @Test
  void open_refusesUntilTheWaitHasPassed_thenHalfOpens() {
    CircuitBreaker cb = breaker(small());
    calls(cb, 4, true);
    assertThat(cb.nanosUntilRetry()).isEqualTo(Duration.ofSeconds(30).toNanos());

    time.advance(Duration.ofSeconds(29));
    assertThat(cb.tryAcquirePermission()).isFalse();
    assertThat(cb.nanosUntilRetry()).isEqualTo(Duration.ofSeconds(1).toNanos());

    time.advance(Duration.ofSeconds(1));
    assertThat(cb.isCallPermitted()).isTrue();
    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void halfOpen_admitsOnlyThePermittedProbes_andClosesWhenTheySucceed() {
    CircuitBreaker cb = breaker(small());
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));

    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.tryAcquirePermission()).isFalse();
    cb.onSuccess(MS);
    cb.onSuccess(MS);
    assertThat(cb.state()).isEqualTo(CircuitState.HALF_OPEN);
    cb.onError(MS); // 1 of 3 failed = 33% < 50%
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(cb.metrics().calls()).isZero();
  }

  @Test
  void halfOpen_reopensWhenProbesFail() {
    CircuitBreaker cb = breaker(small());
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    calls(cb, 1, false);
    calls(cb, 2, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    assertThat(cb.nanosUntilRetry()).isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void halfOpen_releasedPermitCanBeTakenAgain() {
    CircuitBreaker cb = breaker(small().permittedCallsInHalfOpenState(1));
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.tryAcquirePermission()).isFalse();
    cb.releasePermission();
    assertThat(cb.tryAcquirePermission()).isTrue();
  }

  @Test
  void forcedOpen_disabled_andReset() {
    CircuitBreaker cb = breaker(small());
    cb.transitionToForcedOpen();
    time.advance(Duration.ofHours(1));
    assertThat(cb.tryAcquirePermission()).isFalse();
    assertThat(cb.nanosUntilRetry()).isEqualTo(Long.MAX_VALUE);

    cb.transitionToDisabled();
    calls(cb, 20, true);
    assertThat(cb.state()).isEqualTo(CircuitState.DISABLED);

    cb.reset();
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(cb.metrics().notPermittedCalls()).isZero();
  }

  @Test
  void outcomes_areClassifiedByConfig_andCancellationReleases() {
    CircuitBreaker cb = breaker(small());
    for (int i = 0; i < 4; i++) {
      cb.tryAcquirePermission();
      cb.onResult(CallOutcome.CLIENT_ERROR, MS);
    }
    assertThat(cb.state()).isEqualTo(CircuitState.CLOSED);
    for (int i = 0; i < 4; i++) {
      cb.tryAcquirePermission();
      cb.onResult(CallOutcome.GATEWAY_ERROR, MS);
    }
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void listeners_seeEveryTransitionInOrder() {
    CircuitBreaker cb = breaker(small());
    List<String> seen = new ArrayList<>();
    cb.onStateTransition(t -> seen.add(t.from() + "->" + t.to()));
    cb.onStateTransition(t -> {
      throw new IllegalStateException("a broken listener is ignored");
    });

    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    calls(cb, 3, false);
    cb.transitionToForcedOpen();
    cb.transitionToDisabled();
    cb.transitionToClosed();

    assertThat(seen)
        .containsExactly(
            "CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED", "CLOSED->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->CLOSED");
  }

  @Test
  void halfOpen_reopensWhenProbesAreSlow() {
    CircuitBreaker cb = breaker(small().slowCallRateThreshold(50));
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      assertThat(cb.tryAcquirePermission()).isTrue();
    }
    cb.onSuccess(MS);
    cb.onSuccess(Duration.ofSeconds(2).toNanos()); // exactly slowCallDuration counts as slow
    assertThat(cb.state()).isEqualTo(CircuitState.HALF_OPEN);
    cb.onSuccess(Duration.ofSeconds(5).toNanos()); // 2 of 3 slow = 67% >= 50%
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void open_ignoresResultsOfCallsAdmittedBeforeItOpened() {
    CircuitBreaker cb = breaker(small());
    assertThat(cb.tryAcquirePermission()).isTrue(); // a slow call starts while CLOSED
    calls(cb, 4, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    cb.onSuccess(MS);
    cb.onError(MS);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    assertThat(cb.nanosUntilRetry()).isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  /** Puts a fresh breaker into {@code state} the way calls (or an operator) would. */
  private CircuitBreaker breakerIn(CircuitState state) {
    CircuitBreaker cb = breaker(small());
    switch (state) {
      case CLOSED:
        break;
      case OPEN:
        calls(cb, 4, true);
        break;
      case HALF_OPEN:
        calls(cb, 4, true);
        time.advance(Duration.ofSeconds(30));
        assertThat(cb.tryAcquirePermission()).isTrue();
        break;
      case FORCED_OPEN:
        cb.transitionToForcedOpen();
        break;
      case DISABLED:
        cb.transitionToDisabled();
        break;
      default:
        throw new AssertionError(state);
    }
    assertThat(cb.state()).isEqualTo(state);
    return cb;
  }

  @ParameterizedTest
  @EnumSource(CircuitState.class)
  void manualTransitions_fromEveryState_reachTheirTarget_andAreAnnounced(CircuitState from) {
    for (CircuitState to : CircuitState.values()) {
      CircuitBreaker cb = breakerIn(from);
      List<CircuitBreaker.StateTransition> seen = new ArrayList<>();
      cb.onStateTransition(seen::add);

      switch (to) {
        case CLOSED -> cb.transitionToClosed();
        case OPEN -> cb.transitionToOpen();
        case HALF_OPEN -> cb.transitionToHalfOpen();
        case FORCED_OPEN -> cb.transitionToForcedOpen();
        case DISABLED -> cb.transitionToDisabled();
      }

      assertThat(cb.state()).as(from + " -> " + to).isEqualTo(to);
      assertThat(seen).as(from + " -> " + to).hasSize(1);
      assertThat(seen.get(0).from()).isEqualTo(from);
      assertThat(seen.get(0).to()).isEqualTo(to);
      assertThat(seen.get(0).tickerNanos()).isEqualTo(time.read());
      assertThat(cb.isCallPermitted()).as("permitted in " + to).isEqualTo(!to.isOpen());
    }
  }

  @Test
  void manualTransition_isNotLost_whenACallChangesTheStateAtTheSameMoment() {
    // The operator opens the circuit just as the last half-open probe reports success. The probe's
    // report is simulated inside the ticker read that transitionToOpen makes, which is where the
    // other thread would interleave; whichever way the race goes, the operator's OPEN must stand
    // (an automatic transition never leaves OPEN before the wait).
    AtomicBoolean armed = new AtomicBoolean();
    CircuitBreaker[] holder = new CircuitBreaker[1];
    io.orchestra.core.time.Ticker racing =
        () -> {
          if (armed.compareAndSet(true, false)) {
            holder[0].onSuccess(MS); // the only probe succeeds: HALF_OPEN -> CLOSED
          }
          return time.read();
        };
    CircuitBreaker cb = CircuitBreaker.of("payments", small().permittedCallsInHalfOpenState(1).build(), racing);
    holder[0] = cb;
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    assertThat(cb.tryAcquirePermission()).isTrue();
    assertThat(cb.state()).isEqualTo(CircuitState.HALF_OPEN);

    armed.set(true);
    cb.transitionToOpen();

    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    assertThat(cb.tryAcquirePermission()).isFalse();
  }

  @Test
  void foreverDurations_keepTheCircuitOpen_withoutThrowingOnTheCallPath() {
    // "Open until reset": the wait is converted when the circuit opens, inside onError.
    CircuitBreaker cb = breaker(small().waitDurationInOpenState(Duration.ofSeconds(Long.MAX_VALUE)));
    calls(cb, 4, true);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofDays(365L * 100));
    assertThat(cb.tryAcquirePermission()).isFalse();
    assertThat(cb.nanosUntilRetry()).isPositive();
    cb.reset();
    assertThat(cb.tryAcquirePermission()).isTrue();

    // "Never slow".
    CircuitBreaker neverSlow =
        breaker(small().slowCallDuration(ChronoUnit.FOREVER.getDuration()).slowCallRateThreshold(1));
    for (int i = 0; i < 4; i++) {
      assertThat(neverSlow.tryAcquirePermission()).isTrue();
      neverSlow.onSuccess(Duration.ofDays(1).toNanos());
    }
    assertThat(neverSlow.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(neverSlow.metrics().slowCalls()).isZero();
  }

  @RepeatedTest(10)
  void halfOpen_underEightThreads_probeResultsDecideExactlyOnce() throws Exception {
    int probes = 5;
    CircuitBreaker cb = breaker(small().permittedCallsInHalfOpenState(probes));
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));
    List<CircuitBreaker.StateTransition> seen = new CopyOnWriteArrayList<>();
    cb.onStateTransition(seen::add);

    // Every probe fails: the circuit must re-open exactly once.
    assertThat(raceForPermissions(cb, true)).isEqualTo(probes);
    assertThat(cb.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen)
        .extracting(t -> t.from() + "->" + t.to())
        .containsExactlyInAnyOrder("OPEN->HALF_OPEN", "HALF_OPEN->OPEN"); // listeners may run late
  }

  @RepeatedTest(20)
  void halfOpen_underEightThreads_admitsExactlyThePermittedProbes() throws Exception {
    int probes = 5;
    CircuitBreaker cb = breaker(small().permittedCallsInHalfOpenState(probes));
    calls(cb, 4, true);
    time.advance(Duration.ofSeconds(30));

    assertThat(raceForPermissions(cb, false)).isEqualTo(probes);
    assertThat(cb.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  /**
   * Eight threads, released together, each ask 1,000 times for a permission (reporting each
   * granted one as a failure when {@code failEach}); returns how many permissions were granted.
   */
  private static int raceForPermissions(CircuitBreaker cb, boolean failEach) throws Exception {
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 1000; i++) {
                    if (cb.tryAcquirePermission()) {
                      admitted.incrementAndGet();
                      if (failEach) {
                        cb.onError(MS);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return admitted.get();
  }

  @Test
  void closed_underEightThreads_countsEveryCallExactly() throws Exception {
    CircuitBreaker cb = breaker(small().slidingWindowSize(100_000).minimumNumberOfCalls(100_000).failureRateThreshold(100));
    int threads = 8;
    int perThread = 10_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    cb.tryAcquirePermission();
                    if (id % 2 == 0) {
                      cb.onError(MS);
                    } else {
                      cb.onSuccess(MS);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    CircuitBreaker.Metrics m = cb.metrics();
    assertThat(m.calls()).isEqualTo(threads * perThread);
    assertThat(m.failedCalls()).isEqualTo(threads / 2 * perThread);
    assertThat(m.failureRate()).isEqualTo(50f);
  }

  @Test
  void invalidConfig_failsWithFieldAndValue() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(120).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failureRateThreshold")
        .hasMessageContaining("120");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("waitDurationInOpenState")
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(0).build())
        .hasMessageContaining("slidingWindowSize")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().permittedCallsInHalfOpenState(0).build())
        .hasMessageContaining("permittedCallsInHalfOpenState");
    assertThatThrownBy(() -> CircuitBreaker.of(" ", CircuitBreakerConfig.defaults(), time))
        .hasMessageContaining("circuitBreaker.name");
  }
}
