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
 * @param sampleRate the probability with which the emitter kept this record, in {@code (0, 1]}
 *     ({@code 1} when every request is logged); a consumer that counts requests weighs each
 *     record by {@code 1 / sampleRate}
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
    String traceId,
    double sampleRate) {

  /** Checks the sample rate. */
  public AccessLogRecord {
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("accessLog.sampleRate must be in (0, 1], was " + sampleRate);
    }
  }

  /** A record of an emitter that logs every request ({@code sampleRate} 1). */
  public AccessLogRecord(
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
      String traceId) {
    this(timestampEpochMillis, sourceAddress, sourceService, destinationService, instanceId, method,
        path, statusCode, durationNanos, userAgent, traceId, 1.0);
  }
}
