package io.orchestra.mesh.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runtime state of one instance of a destination: its breaker, the requests in flight from this
 * manager (for least-connection balancing), and its attempt-timer handles. Survives instance-list
 * refreshes while the instance id stays. Thread-safe.
 */
final class InstanceState {
  private static final VarHandle IN_FLIGHT;

  static {
    try {
      IN_FLIGHT = MethodHandles.lookup().findVarHandle(InstanceState.class, "inFlight", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String id;
  /** Set through {@link #update}, which keeps {@link #weight} beside it. */
  volatile ServiceInstance instance;
  /**
   * The instance's weight, kept here so that balancing (which looks at every candidate on every
   * request) reads a field of this object rather than following a pointer to the instance.
   */
  volatile int weight;
  volatile CircuitBreaker breaker; // null when circuit breaking is disabled
  /** Requests in flight (a field updated through {@link #IN_FLIGHT}: one object less to read). */
  private volatile int inFlight;
  private final AtomicReferenceArray<TelemetrySink.Timer> attemptTimers =
      new AtomicReferenceArray<>(CallOutcome.values().length);

  InstanceState(ServiceInstance instance) {
    this.id = instance.id();
    update(instance);
  }

  /** Takes a refreshed copy of the instance (same id; address, labels or weight may differ). */
  void update(ServiceInstance refreshed) {
    this.weight = refreshed.weight();
    this.instance = refreshed;
  }

  /** Requests in flight to this instance from this manager. */
  int inFlight() {
    return inFlight;
  }

  /** Counts a request sent. */
  void enter() {
    IN_FLIGHT.getAndAdd(this, 1);
  }

  /** Counts a request ended. */
  void leave() {
    IN_FLIGHT.getAndAdd(this, -1);
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
    return "InstanceState[" + instance + ", inFlight=" + inFlight + ", breaker=" + breaker + "]";
  }
}
