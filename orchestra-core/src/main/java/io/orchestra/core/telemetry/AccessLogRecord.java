package io.orchestra.core.telemetry;

/**
 * One access-log record for a routed request, with the seed's fields.
 *
 * @param timestampEpochMillis when the request finished
 * @param sourceAddress client address, or {@code null}
 * @param sourceService calling service, or {@code null}
 * @param destinationService called service
 * @param instanceId instance that answered, or {@code null}
 * @param method request method
 * @param path request path
 * @param statusCode response status, or 0 when no response arrived
 * @param durationNanos time taken
 * @param userAgent {@code user-agent} header, or {@code null}
 * @param traceId trace id in hex, or {@code null}
 */
public record AccessLogRecord(
    long timestampEpochMillis,
    String sourceAddress,
    String sourceService,
    String destinationService,
    String instanceId,
    String method,
    String path,
    int statusCode,
    long durationNanos,
    String userAgent,
    String traceId) {}
