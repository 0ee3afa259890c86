package io.orchestra.observability.traces;

/**
 * One span on a trace's critical path (the chain of last-finishing children from the root).
 * Immutable.
 *
 * @param spanId the span
 * @param service its service
 * @param operation its operation
 * @param durationNanos its duration
 * @param selfNanos its duration minus that of the next segment: time spent in the span itself
 */
public record CriticalPathSegment(String spanId, String service, String operation, long durationNanos, long selfNanos) {}
