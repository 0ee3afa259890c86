package io.orchestra.core.resilience;

/** The states of a {@link CircuitBreaker}. */
public enum CircuitState {
  /** Calls flow; outcomes are recorded in the sliding window. */
  CLOSED,
  /** Calls are refused until the wait duration has passed. */
  OPEN,
  /** A limited number of probe calls decide whether to close or open again. */
  HALF_OPEN,
  /** Held open by an operator; no automatic transition. */
  FORCED_OPEN,
  /** Always permits, records nothing; no automatic transition. */
  DISABLED;

  /** Whether a call would be refused in this state (half-open refuses once its probes are out). */
  public boolean isOpen() {
    return this == OPEN || this == FORCED_OPEN;
  }
}
