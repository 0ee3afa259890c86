package io.orchestra.observability.alerts;

/** Where an alert is in its life. */
public enum AlertState {
  /** The condition holds but not yet for the rule's {@code for} duration. */
  PENDING,
  /** The condition held long enough; notified. */
  FIRING,
  /** It fired and the condition has cleared (after any keep-firing hold); notified. */
  RESOLVED
}
