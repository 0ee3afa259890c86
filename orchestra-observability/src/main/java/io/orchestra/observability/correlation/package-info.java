/**
 * Correlation results: per service ({@link io.orchestra.observability.correlation.ServiceCorrelation}),
 * per request ({@link io.orchestra.observability.correlation.RequestCorrelation}) and across
 * services ({@link io.orchestra.observability.correlation.CrossServiceIssue}).
 */
package io.orchestra.observability.correlation;
