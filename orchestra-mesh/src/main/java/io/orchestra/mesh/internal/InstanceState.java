package io.orchestra.mesh.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runtime state of one instance of a destination: its breaker, the requests in flight from this
 * manager (for least-connection balancing), and its attempt-timer handles. Survives instance-list
 * refreshes while the instance id stays. Thread-safe.
 */
final class InstanceState {
  final String id;
  volatile ServiceInstance instance;
  volatile CircuitBreaker breaker; // null when circuit breaking is disabled
  final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReferenceArray<TelemetrySink.Timer> attemptTimers =
      new AtomicReferenceArray<>(CallOutcome.values().length);

  InstanceState(ServiceInstance instance) {
    this.id = instance.id();
    this.instance = instance;
  }

  /** Whether the breaker would let a call through now (no permit taken). */
  boolean permits() {
    CircuitBreaker b = breaker;
    return b == null || b.isCallPermitted();
  }

  /** Takes a breaker permit; true when there is no breaker. */
  boolean tryAcquire() {
    CircuitBreaker b = breaker;
    return b == null || b.tryAcquirePermission();
  }

  TelemetrySink.Timer attemptTimer(CallOutcome outcome) {
    return attemptTimers.get(outcome.ordinal());
  }

  TelemetrySink.Timer attemptTimer(CallOutcome outcome, TelemetrySink.Timer created) {
    return attemptTimers.compareAndSet(outcome.ordinal(), null, created)
        ? created
        : attemptTimers.get(outcome.ordinal());
  }

  @Override
  public String toString() {
    return "InstanceState[" + instance + ", inFlight=" + inFlight.get() + ", breaker=" + breaker + "]";
  }
}
