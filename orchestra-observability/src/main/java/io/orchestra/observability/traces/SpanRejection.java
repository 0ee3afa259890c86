package io.orchestra.observability.traces;

/**
 * A span that was not stored, and why ({@code invalid_span_id}, {@code negative_duration}, {@code
 * duplicate_span_id}, {@code trace_id_mismatch}, {@code too_large}, {@code null_span}).
 * Immutable.
 *
 * @param spanId the span id as received (may be null)
 * @param reason why
 */
public record SpanRejection(String spanId, String reason) {}
