package io.orchestra.observability.traces;

import io.orchestra.observability.Severity;

/**
 * One unusual thing about one trace. Immutable.
 *
 * @param traceId the trace
 * @param kind what
 * @param spanId the span concerned, or null for the whole trace
 * @param service the service concerned
 * @param operation the operation concerned
 * @param value the observed value (duration in ms, or a count)
 * @param expectedHigh the upper end of what was expected, NaN when not applicable
 * @param severity how bad
 * @param description short human text (never contains span attributes)
 */
public record TraceAnomaly(
    String traceId,
    TraceAnomalyKind kind,
    String spanId,
    String service,
    String operation,
    double value,
    double expectedHigh,
    Severity severity,
    String description) {}
