package io.orchestra.mesh.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Runtime state of one instance of a destination: its breaker, the requests in flight from this
 * manager (for least-connection balancing), and its attempt-timer handles. Survives instance-list
 * refreshes while the instance id stays; when the id leaves the list the state is {@linkplain
 * #retire() retired} and dropped, and an instance that comes back gets a new one. Thread-safe.
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
  /**
   * Set once the instance has left its destination's list (under this object's lock, as are the
   * creations of attempt timers): from then on no attempt timer is registered for it, so that a
   * request still in flight to a departed instance cannot bring its meter back.
   */
  private boolean retired;

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

  /**
   * The attempt timer for {@code outcome}, made by {@code factory} if there is none yet, or null
   * once the instance is retired. Runs at most once per outcome while the instance is listed (the
   * request path finds the handle through {@link #attemptTimer(CallOutcome)} afterwards), so the
   * lock, which orders creations against {@link #retire()}, costs nothing per request.
   */
  synchronized TelemetrySink.Timer attemptTimer(CallOutcome outcome, Supplier<TelemetrySink.Timer> factory) {
    if (retired) {
      return null;
    }
    TelemetrySink.Timer t = attemptTimers.get(outcome.ordinal());
    if (t == null) {
      t = factory.get();
      attemptTimers.set(outcome.ordinal(), t);
    }
    return t;
  }

  /**
   * Marks the instance as gone and answers the outcomes whose attempt timers were created, so
   * that their meters can be removed; none is created after this returns. Handles already read
   * by requests in flight keep working (the sink discards what they record).
   */
  synchronized List<CallOutcome> retire() {
    retired = true;
    List<CallOutcome> created = new ArrayList<>();
    for (CallOutcome o : CallOutcome.values()) {
      if (attemptTimers.get(o.ordinal()) != null) {
        created.add(o);
      }
    }
    return created;
  }

  @Override
  public String toString() {
    return "InstanceState[" + instance + ", inFlight=" + inFlight + ", breaker=" + breaker + "]";
  }
}
