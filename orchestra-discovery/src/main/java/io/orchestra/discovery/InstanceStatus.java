package io.orchestra.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitState;

/**
 * A point-in-time view of what discovery knows about one instance, for operators and tests:
 * every field comes from one state of the instance (the score is computed from the others).
 * Immutable.
 *
 * @param instance the instance
 * @param health what active checks say: {@code UNKNOWN}, {@code HEALTHY} or {@code UNHEALTHY}
 * @param ejected whether outlier detection has ejected it
 * @param ejections its current ejection multiplier (the next ejection lasts this + 1 base times)
 * @param missing whether the sources stopped reporting it while it is still healthy
 * @param consecutiveFailures calls in a row that failed
 * @param consecutiveSuccesses calls in a row that succeeded
 * @param errorRate exponentially weighted share of failed calls, in [0, 1]
 * @param meanLatencyNanos exponentially weighted mean latency, 0 without samples
 * @param peakEwmaNanos peak-EWMA latency used by power-of-two-choices, 0 without samples
 * @param outstanding picks not reported back yet
 * @param score the instance score for a caller without zone or region, in [0, 1]
 * @param circuitState its breaker's state, or null when circuit breaking is off
 */
public record InstanceStatus(
    ServiceInstance instance,
    String health,
    boolean ejected,
    int ejections,
    boolean missing,
    int consecutiveFailures,
    int consecutiveSuccesses,
    double errorRate,
    double meanLatencyNanos,
    double peakEwmaNanos,
    int outstanding,
    double score,
    CircuitState circuitState) {}
