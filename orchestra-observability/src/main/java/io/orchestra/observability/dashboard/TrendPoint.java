package io.orchestra.observability.dashboard;

/**
 * One point of a trend. Immutable.
 *
 * @param epochMillis window start
 * @param value the window's value (sum for counters, mean otherwise)
 */
public record TrendPoint(long epochMillis, double value) {}
