/**
 * Shared resilience primitives, one implementation each: {@link
 * io.orchestra.core.resilience.CircuitBreaker}, {@link io.orchestra.core.resilience.Backoff} and
 * {@link io.orchestra.core.resilience.RetryPolicy} (run by {@link
 * io.orchestra.core.resilience.AsyncRetry}), and {@link io.orchestra.core.resilience.TokenBucket}.
 */
package io.orchestra.core.resilience;
