/** Sliding windows behind the circuit breaker. Not public API. */
package io.orchestra.core.resilience.internal;
