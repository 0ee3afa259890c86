package io.orchestra.observability.traces;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import java.util.Map;

/**
 * One span of a distributed trace, as collected from any service. Ids are hex strings as in W3C
 * Trace Context; they are validated on collection, not here, so that bad input can be counted
 * instead of thrown. Immutable.
 *
 * @param traceId 32 hex digits (or null to take the trace's id)
 * @param spanId 16 hex digits
 * @param parentSpanId the parent's span id, or null for a root span
 * @param serviceName the service that recorded it
 * @param operationName the operation, such as {@code GET /orders}
 * @param kind server, client or internal
 * @param startEpochNanos start, nanoseconds since the epoch
 * @param endEpochNanos end, nanoseconds since the epoch
 * @param error whether it failed
 * @param errorMessage the failure's description, or null
 * @param attributes other attributes ({@code peer.service} names the called service of a client
 *     span whose callee did not report)
 */
public record SpanData(
    String traceId,
    String spanId,
    String parentSpanId,
    String serviceName,
    String operationName,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    boolean error,
    String errorMessage,
    Map<String, String> attributes) {

  /** Copies the attributes; {@code kind} defaults to INTERNAL. */
  public SpanData {
    kind = kind == null ? SpanKind.INTERNAL : kind;
    attributes = Map.copyOf(Checks.notNull("attributes", attributes));
  }

  /** A span builder. */
  public static Builder builder(String traceId, String spanId) {
    return new Builder(traceId, spanId);
  }

  /** The duration in nanoseconds. */
  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  /** Builds a {@link SpanData}; not thread-safe. */
  public static final class Builder {
    private final String traceId;
    private final String spanId;
    private String parentSpanId;
    private String serviceName = "unknown";
    private String operationName = "unknown";
    private SpanKind kind = SpanKind.INTERNAL;
    private long start;
    private long end;
    private boolean error;
    private String errorMessage;
    private Map<String, String> attributes = Map.of();

    private Builder(String traceId, String spanId) {
      this.traceId = traceId;
      this.spanId = spanId;
    }

    /** Parent span id. */
    public Builder parent(String v) {
      this.parentSpanId = v;
      return this;
    }

    /** Service name. */
    public Builder service(String v) {
      this.serviceName = v;
      return this;
    }

    /** Operation name. */
    public Builder operation(String v) {
      this.operationName = v;
      return this;
    }

    /** Kind. */
    public Builder kind(SpanKind v) {
      this.kind = v;
      return this;
    }

    /** Start and end in epoch nanoseconds. */
    public Builder time(long startEpochNanos, long endEpochNanos) {
      this.start = startEpochNanos;
      this.end = endEpochNanos;
      return this;
    }

    /** Marks it failed. */
    public Builder error(String message) {
      this.error = true;
      this.errorMessage = message;
      return this;
    }

    /** Attributes. */
    public Builder attributes(Map<String, String> v) {
      this.attributes = v;
      return this;
    }

    /** The span. */
    public SpanData build() {
      return new SpanData(traceId, spanId, parentSpanId, serviceName, operationName, kind, start, end, error, errorMessage, attributes);
    }
  }
}
