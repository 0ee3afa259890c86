package io.orchestra.observability.metrics;

/**
 * One value that was not stored, and why. Immutable.
 *
 * @param name the name as received
 * @param reason why
 */
public record MetricRejection(String name, RejectReason reason) {}
