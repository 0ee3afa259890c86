package io.orchestra.mesh.internal;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Ticker;
import io.orchestra.mesh.policy.RetryBudget;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime state of one destination service: its breaker, retry budget, instance states and the
 * current {@link InstanceView}, and its metric handles. The fast paths are volatile reads and
 * identity comparisons; rebuilding (a new instance list, a new policy) happens under this object's
 * lock and is rare.
 *
 * <p>An idle destination is dropped by {@link Destinations}' sweep, with a CLOCK-style {@code
 * touched} bit and a phase: {@code ACTIVE}, {@code CLOSING} (a sweep is deciding) and {@code
 * RETIRED} (final). A request that meets {@code CLOSING} cancels it by CAS, so either the sweep or
 * the request wins, never both; a request that meets {@code RETIRED} looks the destination up
 * again. The request path reads both fields only (two plain loads on x86); the first request after
 * a sweep writes the bit once. Thread-safe.
 */
final class DestinationState {
  private static final int ACTIVE = 0;
  private static final int CLOSING = 1;
  private static final int RETIRED = 2;
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(DestinationState.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String service;
  final RequestMetrics metrics;
  final TelemetrySink.Counter retries;
  final TelemetrySink.Counter budgetExhausted;
  /** The name of a new trace's root span, {@code route <service>}: made once, not per request. */
  final String rootSpanName;
  /** Attempt span names ({@code GET <service>}) by {@link RequestMetrics#methodIndex}. */
  private final String[] attemptSpanNames = new String[RequestMetrics.METHODS.length - 1];
  private final InstanceSource source;
  private final Ticker ticker;
  private final MeshTelemetry telemetry;
  private final boolean breakersEnabled;
  private final ConcurrentHashMap<String, InstanceState> states = new ConcurrentHashMap<>();
  /** Set by requests, cleared by each sweep: a state found clear by two sweeps in a row is idle. */
  private volatile boolean touched = true;
  private volatile int phase = ACTIVE;
  /** Guarded by this object's lock. */
  private boolean metersForgotten;
  private volatile InstanceView view;
  private volatile DestinationPolicy policy;
  private volatile CircuitBreaker breaker;
  private volatile CircuitBreakerConfig breakerSeen;
  private volatile RetryBudgetState budget;
  private volatile RetryBudget budgetSeen;

  DestinationState(String service, InstanceSource source, Ticker ticker, MeshTelemetry telemetry, boolean breakersEnabled) {
    this.service = service;
    this.source = source;
    this.ticker = ticker;
    this.telemetry = telemetry;
    this.breakersEnabled = breakersEnabled;
    this.metrics = telemetry.requestMetrics(service);
    this.retries = telemetry.counter(MeshTelemetry.RETRIES, service);
    this.budgetExhausted = telemetry.counter(MeshTelemetry.BUDGET_EXHAUSTED, service);
    this.rootSpanName = "route " + service;
    for (int i = 0; i < attemptSpanNames.length; i++) {
      attemptSpanNames[i] = RequestMetrics.METHODS[i] + " " + service;
    }
  }

  /** The name of an attempt's span, {@code <method> <service>} (made once for the common methods). */
  String attemptSpanName(String method) {
    int m = RequestMetrics.methodIndex(method);
    return m < attemptSpanNames.length ? attemptSpanNames[m] : method + " " + service;
  }

  /** The policy set's rules for this destination, resolved once per policy set. */
  DestinationPolicy policy(PolicySet ps) {
    DestinationPolicy p = policy;
    if (p == null || p.owner != ps) {
      p = ps.destination(service); // a race only resolves it twice
      policy = p;
    }
    return p;
  }

  /** The view of {@code instances} under {@code policy}, rebuilt only when either changed. */
  InstanceView view(List<ServiceInstance> instances, CompiledService policy) {
    InstanceView v = view;
    if (v != null && v.service == policy) {
      if (v.source == instances) {
        return v;
      }
      if (v.sameInstances(instances)) {
        v.source = instances;
        return v;
      }
    }
    return rebuild(instances, policy);
  }

  private synchronized InstanceView rebuild(List<ServiceInstance> given, CompiledService policy) {
    // The caller's list may be older than the one the last rebuild used: read before it but
    // arriving after it, it would bring back an instance that has just left (with new meters).
    // Reading the source again under the lock gives a list at least as new as any rebuilt from.
    List<ServiceInstance> instances = latest(given);
    InstanceView v = view;
    if (v != null && v.service == policy && v.sameInstances(instances)) {
      v.source = instances;
      return v;
    }
    Set<String> ids = new HashSet<>();
    InstanceState[] members = new InstanceState[instances.size()];
    int n = 0;
    for (ServiceInstance i : instances) {
      if (!ids.add(i.id())) {
        continue; // the same id twice: keep the first
      }
      InstanceState st = states.computeIfAbsent(i.id(), id -> new InstanceState(i));
      if (metersForgotten) {
        st.retire(); // a request that kept this state past its retirement: register nothing anew
      }
      st.update(i);
      if (breakersEnabled) {
        CircuitBreaker b = st.breaker;
        if (b == null || !b.config().equals(policy.instanceBreakerConfig)) {
          b = CircuitBreaker.of(service + "/" + i.id(), policy.instanceBreakerConfig, ticker);
          telemetry.watch(b, service, i.id());
          st.breaker = b;
        }
      }
      members[n++] = st;
    }
    // Departed instances take their state and meters with them; one that comes back gets a new
    // state (fresh handles). The lock orders this against the state's creation in a later rebuild.
    for (Iterator<InstanceState> it = states.values().iterator(); it.hasNext(); ) {
      InstanceState st = it.next();
      if (!ids.contains(st.id)) {
        it.remove();
        telemetry.forget(service, st);
      }
    }
    InstanceView fresh =
        new InstanceView(instances, policy, n == members.length ? members : java.util.Arrays.copyOf(members, n));
    view = fresh;
    return fresh;
  }

  /** The instance source's list now, or {@code given} when it fails or has no answer. */
  private List<ServiceInstance> latest(List<ServiceInstance> given) {
    try {
      List<ServiceInstance> now = source.instances(service);
      return now == null ? given : now;
    } catch (RuntimeException e) {
      return given; // the caller's own read succeeded: route on it
    }
  }

  /** The service-level breaker for {@code config} (replaced when the configuration changes). */
  CircuitBreaker breaker(CircuitBreakerConfig config) {
    CircuitBreaker b = breaker;
    if (b != null && breakerSeen == config) {
      return b;
    }
    synchronized (this) {
      b = breaker;
      if (b == null || !b.config().equals(config)) {
        b = CircuitBreaker.of(service, config, ticker);
        telemetry.watch(b, service, null);
        breaker = b;
      }
      breakerSeen = config;
      return b;
    }
  }

  /** The service-level breaker if one exists, else null. */
  CircuitBreaker currentBreaker() {
    return breaker;
  }

  /** The retry budget for {@code config} (replaced when the configuration changes). */
  RetryBudgetState budget(RetryBudget config) {
    RetryBudgetState b = budget;
    if (b != null && budgetSeen == config) {
      return b;
    }
    synchronized (this) {
      b = budget;
      if (b == null || !b.config.equals(config)) {
        b = new RetryBudgetState(config, ticker);
        budget = b;
      }
      budgetSeen = config;
      return b;
    }
  }

  // ------------------------------------------------------------------ idle eviction

  /** Whether a request may use this state without writing anything (the request path's check). */
  boolean inUse() {
    return touched && phase == ACTIVE;
  }

  /**
   * Marks this state used, cancelling a sweep that is deciding on it; false when it is retired
   * (the caller must look the destination up again).
   */
  boolean touch() {
    touched = true;
    while (true) {
      int p = phase;
      if (p == ACTIVE) {
        return true;
      }
      if (p == RETIRED) {
        return false;
      }
      PHASE.compareAndSet(this, CLOSING, ACTIVE); // beat the sweep, or read what it decided
    }
  }

  /** Whether a sweep retired this state. */
  boolean retired() {
    return phase == RETIRED;
  }

  /**
   * One sweep's step: clears the bit of a state used since the last sweep, and retires one that
   * was not, unless an attempt is in flight or a request touches it meanwhile. True when retired
   * now; the caller then calls {@link #forgetMeters()} and removes it.
   */
  boolean retireIfIdle() {
    if (touched) {
      touched = false;
      return false;
    }
    if (busy() || !PHASE.compareAndSet(this, ACTIVE, CLOSING)) {
      return false;
    }
    // A request that wrote the bit before the CAS above is seen here; one that writes it later
    // reads CLOSING and cancels it, and then the CAS below fails.
    if (touched || busy()) {
      PHASE.compareAndSet(this, CLOSING, ACTIVE);
      return false;
    }
    return PHASE.compareAndSet(this, CLOSING, RETIRED);
  }

  /** Whether an attempt to one of the listed instances is in flight. */
  private boolean busy() {
    InstanceView v = view;
    if (v == null) {
      return false;
    }
    for (InstanceState st : v.all.members) {
      if (st.inFlight() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes every meter this destination registered (requests, rejections, retries, attempts);
   * none is created afterwards. Only for a retired state; the first call does the work and later
   * ones return once it is done (the lock), so a caller may rely on the meters being gone.
   */
  synchronized void forgetMeters() {
    if (metersForgotten) {
      return;
    }
    metersForgotten = true;
    metrics.retire();
    telemetry.forget(MeshTelemetry.RETRIES, service);
    telemetry.forget(MeshTelemetry.BUDGET_EXHAUSTED, service);
    for (InstanceState st : states.values()) {
      telemetry.forget(service, st);
    }
    states.clear();
  }

  /** The state of instance {@code id}, or null (for tests and diagnostics). */
  InstanceState instance(String id) {
    return states.get(id);
  }
}
