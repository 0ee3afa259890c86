package io.orchestra.core.resilience;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.internal.Durations;
import io.orchestra.core.resilience.internal.CountSlidingWindow;
import io.orchestra.core.resilience.internal.PackedCounts;
import io.orchestra.core.resilience.internal.SlidingWindow;
import io.orchestra.core.resilience.internal.TimeSlidingWindow;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.CallOutcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A circuit breaker: CLOSED while the failure and slow-call rates in its sliding window stay
 * under their thresholds, OPEN for a wait duration once one is reached, then HALF_OPEN, where a
 * fixed number of probe calls decide between CLOSED and OPEN. FORCED_OPEN and DISABLED are held
 * by an operator.
 *
 * <p>Usage: call {@link #tryAcquirePermission()} before a call; if it returns true, report the
 * call exactly once with {@link #onResult}, {@link #onSuccess}, {@link #onError} or, if the call
 * was never made, {@link #releasePermission()}.
 *
 * <p>Thread-safe and lock-free: the state is one immutable object per state in one volatile field
 * swapped by compare-and-set, the windows use atomic counters, and nothing is allocated on the call path except
 * when the state changes. Time comes from the injected {@link Ticker}; an OPEN breaker moves to
 * HALF_OPEN lazily, on the first permission request after the wait.
 */
public final class CircuitBreaker {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(CircuitBreaker.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final long slowCallNanos;
  private final long waitInOpenNanos;
  /** {@code config.isFailure} by ordinal: an array lookup on the call path instead of hashing. */
  private final boolean[] failureByOutcome = new boolean[CallOutcome.values().length];
  /**
   * The current state: a volatile field swapped through {@link #STATE} rather than an
   * AtomicReference, so each call (several per request on a mesh's path) reads one pointer less.
   */
  private volatile State state;
  private final CopyOnWriteArrayList<Consumer<StateTransition>> listeners =
      new CopyOnWriteArrayList<>();
  private final LongAdder notPermitted = new LongAdder();

  private CircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker) {
    this.name = Checks.notBlank("circuitBreaker.name", name);
    this.config = Checks.notNull("circuitBreaker.config", config);
    this.ticker = Checks.notNull("ticker", ticker);
    // Saturated: "forever" durations (beyond ~292 years) must not throw later, on the call path.
    this.slowCallNanos = Durations.saturatedNanos(config.slowCallDuration());
    this.waitInOpenNanos = Durations.saturatedNanos(config.waitDurationInOpenState());
    config.failureOutcomes().forEach(o -> failureByOutcome[o.ordinal()] = true);
    this.state = new Closed(newWindow());
  }

  /** A breaker named {@code name} with {@code config}, timed by {@code ticker}. */
  public static CircuitBreaker of(String name, CircuitBreakerConfig config, Ticker ticker) {
    return new CircuitBreaker(name, config, ticker);
  }

  /** The breaker's name. */
  public String name() {
    return name;
  }

  /** The configuration. */
  public CircuitBreakerConfig config() {
    return config;
  }

  /** The current state (an OPEN breaker whose wait has passed still reports OPEN until asked). */
  public CircuitState state() {
    return state.kind();
  }

  /** Asks to make a call; true means the caller must later report it exactly once. */
  public boolean tryAcquirePermission() {
    State s = state;
    if (s.tryAcquire()) {
      return true;
    }
    notPermitted.increment();
    return false;
  }

  /**
   * Whether a call would currently be permitted, without taking a permit: false while OPEN (wait
   * not yet over), FORCED_OPEN, or HALF_OPEN with every probe out.
   */
  public boolean isCallPermitted() {
    return state.wouldPermit();
  }

  /** Returns a permission that was acquired but not used. */
  public void releasePermission() {
    state.release();
  }

  /** Reports a call's outcome; failures are the outcomes the config counts, cancellations release. */
  public void onResult(CallOutcome outcome, long durationNanos) {
    if (outcome == CallOutcome.CANCELLED) {
      releasePermission();
      return;
    }
    record(failureByOutcome[outcome.ordinal()], durationNanos);
  }

  /** Reports a successful call. */
  public void onSuccess(long durationNanos) {
    record(false, durationNanos);
  }

  /** Reports a failed call. */
  public void onError(long durationNanos) {
    record(true, durationNanos);
  }

  private void record(boolean failure, long durationNanos) {
    state.record(failure, durationNanos >= slowCallNanos);
  }

  /**
   * Nanoseconds (of this breaker's ticker) until an OPEN breaker admits probes; 0 when it is not
   * OPEN or the wait is over; {@link Long#MAX_VALUE} when FORCED_OPEN.
   */
  public long nanosUntilRetry() {
    State s = state;
    if (s instanceof Open open) {
      return Math.max(0, open.retryAtNanos - ticker.read());
    }
    return s instanceof ForcedOpen ? Long.MAX_VALUE : 0;
  }

  /** The current window statistics. */
  public Metrics metrics() {
    State s = state;
    long packed = s.counts();
    return new Metrics(
        s.kind(),
        PackedCounts.calls(packed),
        PackedCounts.failures(packed),
        PackedCounts.slow(packed),
        notPermitted.sum());
  }

  /** Registers a listener for state transitions; called on the thread that caused the change. */
  public CircuitBreaker onStateTransition(Consumer<StateTransition> listener) {
    listeners.add(Checks.notNull("listener", listener));
    return this;
  }

  /** Moves to CLOSED with an empty window. */
  public void transitionToClosed() {
    force(new Closed(newWindow()));
  }

  /** Moves to OPEN, starting the wait. */
  public void transitionToOpen() {
    force(newOpen());
  }

  /** Moves to HALF_OPEN with a full set of probes. */
  public void transitionToHalfOpen() {
    force(new HalfOpen());
  }

  /** Holds the breaker open until another manual transition. */
  public void transitionToForcedOpen() {
    force(new ForcedOpen());
  }

  /** Disables the breaker: every call is permitted and nothing is recorded. */
  public void transitionToDisabled() {
    force(new Disabled());
  }

  /** Back to CLOSED with an empty window and the not-permitted count cleared. */
  public void reset() {
    notPermitted.reset();
    transitionToClosed();
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + state() + "]";
  }

  // ---------------------------------------------------------------- transitions

  /**
   * A manual transition: installs {@code to} whatever the current state is, even if a call
   * changes the state at the same moment (a lost race must not drop an operator's command).
   */
  private void force(State to) {
    while (!transition(state, to)) {
      // The state changed between the read and the swap; swap against the new one.
    }
  }

  /** Replaces {@code from} by {@code to} if {@code from} is still current; notifies on success. */
  private boolean transition(State from, State to) {
    if (!STATE.compareAndSet(this, from, to)) {
      return false;
    }
    if (!listeners.isEmpty()) {
      StateTransition event = new StateTransition(name, from.kind(), to.kind(), ticker.read());
      for (Consumer<StateTransition> l : listeners) {
        try {
          l.accept(event);
        } catch (RuntimeException e) {
          // A broken listener must not break the call path.
        }
      }
    }
    return true;
  }

  private boolean thresholdsReached(long packed, int minimumCalls, int capacity) {
    if (!PackedCounts.plausible(packed, capacity)) {
      return false;
    }
    int calls = PackedCounts.calls(packed);
    if (calls < minimumCalls || calls == 0) {
      return false;
    }
    float failureRate = PackedCounts.failures(packed) * 100f / calls;
    float slowRate = PackedCounts.slow(packed) * 100f / calls;
    return failureRate >= config.failureRateThreshold() || slowRate >= config.slowCallRateThreshold();
  }

  private SlidingWindow newWindow() {
    return config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
        ? new CountSlidingWindow(config.slidingWindowSize())
        : new TimeSlidingWindow(config.slidingWindowSize());
  }

  private Open newOpen() {
    // May wrap around for a "forever" wait; Open compares by subtraction, which stays right.
    return new Open(ticker.read() + waitInOpenNanos);
  }

  // ---------------------------------------------------------------- states

  private abstract static class State {
    abstract CircuitState kind();

    abstract boolean tryAcquire();

    abstract boolean wouldPermit();

    void release() {}

    abstract void record(boolean failure, boolean slow);

    long counts() {
      return 0;
    }
  }

  private final class Closed extends State {
    private final SlidingWindow window;
    private final boolean timed;
    private final int minimumCalls;

    Closed(SlidingWindow window) {
      this.window = window;
      this.timed = window.usesTime();
      this.minimumCalls =
          config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
              ? Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize())
              : config.minimumNumberOfCalls();
    }

    @Override
    CircuitState kind() {
      return CircuitState.CLOSED;
    }

    @Override
    boolean tryAcquire() {
      return true;
    }

    @Override
    boolean wouldPermit() {
      return true;
    }

    @Override
    void record(boolean failure, boolean slow) {
      long packed = window.record(failure, slow, timed ? ticker.read() : 0);
      if (packed >= 0 && thresholdsReached(packed, minimumCalls, window.capacity())) {
        transition(this, newOpen());
      }
    }

    @Override
    long counts() {
      return window.snapshot(timed ? ticker.read() : 0);
    }
  }

  private final class Open extends State {
    final long retryAtNanos;

    Open(long retryAtNanos) {
      this.retryAtNanos = retryAtNanos;
    }

    @Override
    CircuitState kind() {
      return CircuitState.OPEN;
    }

    @Override
    boolean tryAcquire() {
      if (ticker.read() - retryAtNanos < 0) {
        return false;
      }
      transition(this, new HalfOpen());
      // Whoever won the race installed a state; ask it (it may have no probes left).
      State current = state;
      return current != this && current.tryAcquire();
    }

    @Override
    boolean wouldPermit() {
      return ticker.read() - retryAtNanos >= 0;
    }

    @Override
    void record(boolean failure, boolean slow) {
      // A call admitted before the circuit opened finished late; the decision is already made.
    }
  }

  private final class HalfOpen extends State {
    private final int probes = config.permittedCallsInHalfOpenState();
    private final AtomicInteger permits = new AtomicInteger(probes);
    private final AtomicLong results = new AtomicLong();

    @Override
    CircuitState kind() {
      return CircuitState.HALF_OPEN;
    }

    @Override
    boolean tryAcquire() {
      while (true) {
        int p = permits.get();
        if (p <= 0) {
          return false;
        }
        if (permits.compareAndSet(p, p - 1)) {
          return true;
        }
      }
    }

    @Override
    boolean wouldPermit() {
      return permits.get() > 0;
    }

    @Override
    void release() {
      permits.incrementAndGet();
    }

    @Override
    void record(boolean failure, boolean slow) {
      long packed = results.addAndGet(PackedCounts.of(failure, slow));
      int calls = PackedCounts.calls(packed);
      if (calls != probes) {
        return; // undecided until every probe has reported (later extra results are ignored)
      }
      if (thresholdsReached(packed, probes, probes)) {
        transition(this, newOpen());
      } else {
        transition(this, new Closed(newWindow()));
      }
    }

    @Override
    long counts() {
      return results.get();
    }
  }

  private static final class ForcedOpen extends State {
    @Override
    CircuitState kind() {
      return CircuitState.FORCED_OPEN;
    }

    @Override
    boolean tryAcquire() {
      return false;
    }

    @Override
    boolean wouldPermit() {
      return false;
    }

    @Override
    void record(boolean failure, boolean slow) {}
  }

  private static final class Disabled extends State {
    @Override
    CircuitState kind() {
      return CircuitState.DISABLED;
    }

    @Override
    boolean tryAcquire() {
      return true;
    }

    @Override
    boolean wouldPermit() {
      return true;
    }

    @Override
    void record(boolean failure, boolean slow) {}
  }

  /**
   * A snapshot of the breaker's statistics.
   *
   * @param state the state when read
   * @param calls calls in the current window (or probes reported in half-open state)
   * @param failedCalls failures among them
   * @param slowCalls slow calls among them
   * @param notPermittedCalls calls refused since creation or the last reset
   */
  public record Metrics(CircuitState state, int calls, int failedCalls, int slowCalls, long notPermittedCalls) {
    /** Failure percentage, or -1 when there are no calls. */
    public float failureRate() {
      return calls == 0 ? -1 : failedCalls * 100f / calls;
    }

    /** Slow-call percentage, or -1 when there are no calls. */
    public float slowCallRate() {
      return calls == 0 ? -1 : slowCalls * 100f / calls;
    }
  }

  /**
   * A state change.
   *
   * @param breakerName the breaker
   * @param from previous state
   * @param to new state
   * @param tickerNanos the breaker's ticker reading when it happened
   */
  public record StateTransition(String breakerName, CircuitState from, CircuitState to, long tickerNanos) {}
}
