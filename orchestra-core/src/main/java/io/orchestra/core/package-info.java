/**
 * Orchestra core: the ports applications implement (transport, telemetry, instance sources) and
 * the primitives every engine shares (time and randomness, circuit breaker, retry, token bucket,
 * W3C trace context). Engines depend on this module only, never on each other.
 */
package io.orchestra.core;
