package io.orchestra.observability;

/** How urgent an anomaly, issue or alert is, in ascending order. Immutable. */
public enum Severity {
  /** Worth knowing. */
  INFO,
  /** Degraded; look soon. */
  WARNING,
  /** Broken or about to be; act now. */
  CRITICAL
}
