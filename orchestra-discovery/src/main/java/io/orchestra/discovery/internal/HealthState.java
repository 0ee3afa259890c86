package io.orchestra.discovery.internal;

/** What active health checks say about an instance. */
enum HealthState {
  /** Not checked yet (or checks are off). */
  UNKNOWN,
  /** The last checks passed. */
  HEALTHY,
  /** {@code failureThreshold} checks in a row failed. */
  UNHEALTHY
}
