package io.orchestra.discovery.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.HealthCheck;
import io.orchestra.discovery.Registration;

/**
 * Everything discovery knows about one instance of one service: its registration, active and
 * passive health, latency statistics, ejection state, outstanding calls and its score.
 *
 * <p>Thread-safety: fields read on the pick path are volatile or atomic; every update happens
 * under this object's monitor (updates are rare next to picks and touch one instance only).
 */
final class InstanceState extends PickPathFields {
  final long addedAtNanos;

  volatile Registration registration;
  volatile HealthCheck healthCheck;

  // ---- active health (guarded by this)
  volatile HealthState health = HealthState.UNKNOWN;
  private int checkFailures;
  private int checkSuccesses;

  // ---- passive health (guarded by this)
  int consecutiveFailures;
  int consecutiveSuccesses;
  long requests;
  double errorRate;

  // ---- latency (guarded by this), nanoseconds
  long latencySamples;
  double meanLatency;
  double latencyVariance; // peakEwma: in PickPathFields
  private long lastSampleAt;

  // ---- ejection (guarded by this)
  volatile long ejectedUntil; // 0 = not ejected, else ticker reading
  int ejections; // consecutive ejection multiplier
  long lastReturnAt;
  Scheduler.Cancellable returnTask;

  // ---- membership
  volatile boolean missing; // absent from the last merged answer, kept while healthy
  volatile boolean removed;
  Scheduler.Cancellable checkTask;

  // ---- score: health + performance part, kept current on every signal
  volatile double baseScore;
  volatile int weightBucket;

  InstanceState(
      Registration registration,
      HealthCheck healthCheck,
      CircuitBreaker breaker,
      TelemetrySink.Counter picks,
      long addedAtNanos) {
    super(registration.id(), registration.instance(), breaker, picks);
    this.registration = registration;
    this.healthCheck = healthCheck;
    this.addedAtNanos = addedAtNanos;
  }

  /** Keeps {@link #breakerClosed()} in step with the breaker's transitions; call once, after construction. */
  void trackBreaker() {
    if (breaker != null) {
      breaker.onStateTransition(t -> syncBreakerView());
      syncBreakerView();
    }
  }

  /**
   * Re-reads the breaker's state after a transition. Each update reads the state after the value
   * it replaces, so the update that succeeds last saw the latest transition.
   */
  private void syncBreakerView() {
    while (true) {
      int v = breakerView;
      int closed = breaker.state() == CircuitState.CLOSED ? 1 : 0;
      if (BREAKER_VIEW.compareAndSet(this, v, ((v + 2) & ~1) | closed)) {
        return;
      }
    }
  }

  /**
   * Whether the breaker is CLOSED (or there is none), from the listener's view: one field read.
   * False means "ask the breaker" (OPEN with its wait over, HALF_OPEN with probes left and
   * DISABLED permit calls too). A pick racing with a transition may see the state just before
   * it, as it could with the breaker itself.
   */
  boolean breakerClosed() {
    return (breakerView & 1) != 0;
  }

  boolean ejected() {
    return ejectedUntil != 0;
  }

  /** Healthy for routing: not failed by active checks and not ejected. */
  boolean available() {
    return health != HealthState.UNHEALTHY && ejectedUntil == 0;
  }

  /** "Failing" for the missing-from-discovery rule: active checks failed, ejected, or calls failing. */
  synchronized boolean failing(int failureThreshold) {
    return health == HealthState.UNHEALTHY
        || ejectedUntil != 0
        || consecutiveFailures >= failureThreshold;
  }

  /**
   * Records one active check.
   *
   * @return whether {@link #health} changed between HEALTHY/UNKNOWN and UNHEALTHY
   */
  synchronized boolean onCheck(boolean success, int failureThreshold, int healthyThreshold) {
    HealthState before = health;
    if (success) {
      checkFailures = 0;
      checkSuccesses++;
      if (before == HealthState.UNKNOWN
          || (before == HealthState.UNHEALTHY && checkSuccesses >= healthyThreshold)) {
        health = HealthState.HEALTHY;
      }
    } else {
      checkSuccesses = 0;
      checkFailures++;
      if (checkFailures >= failureThreshold) {
        health = HealthState.UNHEALTHY;
      }
    }
    return (before == HealthState.UNHEALTHY) != (health == HealthState.UNHEALTHY);
  }

  /**
   * Records one call outcome reported back (passive health).
   *
   * @param decayNanos peak-EWMA time constant
   */
  synchronized void onResult(CallOutcome outcome, long latencyNanos, long now, long decayNanos) {
    if (outcome == CallOutcome.CANCELLED) {
      return; // says nothing about the instance
    }
    boolean failure = outcome.isFailure();
    requests++;
    // An exponentially weighted error rate over roughly the last ten calls.
    errorRate += ((failure ? 1.0 : 0.0) - errorRate) * 0.1;
    if (failure) {
      consecutiveFailures++;
      consecutiveSuccesses = 0;
    } else {
      consecutiveSuccesses++;
      consecutiveFailures = 0;
    }
    if (latencyNanos >= 0 && outcome != CallOutcome.CONNECT_FAILURE) {
      sample(latencyNanos, now, decayNanos);
    }
  }

  private void sample(long latencyNanos, long now, long decayNanos) {
    double x = latencyNanos;
    if (latencySamples++ == 0) {
      meanLatency = x;
      latencyVariance = 0;
      peakEwma = x;
    } else {
      // EWMA mean and variance (West's incremental form) for the consistency score.
      double diff = x - meanLatency;
      double incr = 0.2 * diff;
      meanLatency += incr;
      latencyVariance = 0.8 * (latencyVariance + diff * incr);
      // Peak EWMA: jump up to a slower sample at once, decay towards faster ones over time.
      double p = peakEwma;
      if (x > p) {
        peakEwma = x;
      } else {
        double w = Math.exp(-(double) Math.max(0, now - lastSampleAt) / decayNanos);
        peakEwma = p * w + x * (1 - w);
      }
    }
    lastSampleAt = now;
  }

  /** Clears the passive counters when an ejection ends, giving the instance a fresh start. */
  synchronized void resetPassive() {
    consecutiveFailures = 0;
    errorRate = 0;
    requests = 0;
  }

  synchronized int checkFailures() {
    return checkFailures;
  }

  /** Counts a pick as an outstanding call until it is reported. */
  void onPicked() {
    OUTSTANDING.incrementAndGet(this);
    picks.increment();
  }

  /** Ends one outstanding call, never going below zero (callers may report unpicked calls). */
  void onReported() {
    while (true) {
      int o = outstanding;
      if (o <= 0 || OUTSTANDING.compareAndSet(this, o, o - 1)) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "InstanceState[" + instance + ", " + health + (ejected() ? ", ejected" : "") + "]";
  }
}
