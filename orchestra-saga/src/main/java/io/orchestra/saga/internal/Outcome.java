package io.orchestra.saga.internal;

/**
 * How one invocation of a step or compensation (all its attempts) ended. Immutable. Not public
 * API.
 *
 * @param ok whether it succeeded
 * @param value the action's result (new data or null)
 * @param outcome for a failure, the {@link io.orchestra.core.transport.CallOutcome} name (or
 *     {@code RESULT_REJECTED})
 * @param error for a failure, the message
 */
record Outcome(boolean ok, Object value, String outcome, String error) {
  static Outcome success(Object value) {
    return new Outcome(true, value, null, null);
  }

  static Outcome failure(String outcome, String error) {
    return new Outcome(false, null, outcome, error);
  }
}
