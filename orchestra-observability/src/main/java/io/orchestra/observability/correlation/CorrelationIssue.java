package io.orchestra.observability.correlation;

import io.orchestra.observability.Severity;

/**
 * One issue found for a service: the seed's error, latency and resource correlations. Immutable.
 *
 * @param type {@code error}, {@code latency} or {@code resource}
 * @param severityScore in [0, 1]
 * @param severity the level
 * @param description human text
 */
public record CorrelationIssue(String type, double severityScore, Severity severity, String description) {}
