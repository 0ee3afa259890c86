package io.orchestra.observability.traces;

import java.util.List;

/**
 * What {@code collectDistributedTrace} did, with the seed's fields ({@code success}, {@code
 * reason}, {@code traceId}). Immutable.
 *
 * @param success false only when the whole trace was refused
 * @param reason null when stored; else {@code invalid_trace_data}, {@code trace_not_sampled} or
 *     {@code tracing_disabled}
 * @param traceId the normalized trace id, or the id as received when invalid
 * @param acceptedSpans spans stored from this call
 * @param rejectedSpans spans refused, with reasons
 * @param metrics the trace's metrics after this call (all parts so far), or null when not stored
 * @param hierarchy the trace's hierarchy after this call, or null when not stored
 * @param anomalies anomalies found in the trace
 */
public record TraceResult(
    boolean success,
    String reason,
    String traceId,
    int acceptedSpans,
    List<SpanRejection> rejectedSpans,
    TraceMetrics metrics,
    TraceHierarchy hierarchy,
    List<TraceAnomaly> anomalies) {

  /** Copies the lists. */
  public TraceResult {
    rejectedSpans = List.copyOf(rejectedSpans);
    anomalies = List.copyOf(anomalies);
  }
}
