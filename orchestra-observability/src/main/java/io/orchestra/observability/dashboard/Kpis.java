package io.orchestra.observability.dashboard;

/**
 * Key performance indicators of a service over the dashboard's range. Immutable.
 *
 * @param requestCount requests (estimated from sampled spans as spans / sampling rate when the
 *     source is {@code spans})
 * @param requestRatePerSecond requests per second
 * @param errorCount failed requests, at most {@code requestCount} (both come from one read of
 *     each failed-requests series, however many requests arrive meanwhile)
 * @param errorRate failed over all, 0 when none, within [0, 1]
 * @param latencyP50Millis median latency, NaN without data
 * @param latencyP95Millis 95th percentile latency
 * @param latencyP99Millis 99th percentile latency
 * @param logErrorCount error log lines
 * @param source {@code access_log} (requests reported through the sink) or {@code spans}
 *     (entry spans of collected traces) or {@code none}
 * @param overallHealth the service's health score, in [0, 1]
 */
public record Kpis(
    long requestCount,
    double requestRatePerSecond,
    long errorCount,
    double errorRate,
    double latencyP50Millis,
    double latencyP95Millis,
    double latencyP99Millis,
    long logErrorCount,
    String source,
    double overallHealth) {}
