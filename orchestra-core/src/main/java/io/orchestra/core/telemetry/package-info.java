/**
 * The telemetry port ({@link io.orchestra.core.telemetry.TelemetrySink}): metric handles, spans,
 * access logs and domain events, with no-op, composite and Micrometer implementations.
 */
package io.orchestra.core.telemetry;
