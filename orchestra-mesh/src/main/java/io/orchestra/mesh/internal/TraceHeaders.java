package io.orchestra.mesh.internal;

import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;

/**
 * The trace headers of an attempt's outgoing request, made straight from the ids (an unsampled
 * new trace has no {@code TraceContext}) through core's {@code W3CTraceContext.inject} from the
 * ids, which writes the digits eight at a time into a Latin-1 buffer and sets the header under a
 * name validated once, and {@code Request.withHeadersAndTimeout} (no builder). Stateless.
 */
final class TraceHeaders {
  private TraceHeaders() {}

  /** The request as sent on one attempt: its trace context and per-try timeout. */
  static Request outgoing(Request request, TraceContext context, long perTryNanos) {
    if (context == null) {
      return request.withTimeoutNanos(perTryNanos);
    }
    return outgoing(
        request, context.traceIdHigh(), context.traceIdLow(), context.spanId(), context.flags(), context.traceState(), perTryNanos);
  }

  /**
   * The request as sent on one attempt, from the attempt's trace ids: {@code traceparent} (and
   * {@code tracestate} when there is one) set as {@code W3CTraceContext.inject} would, and the
   * per-try timeout.
   */
  static Request outgoing(
      Request request, long traceHigh, long traceLow, long spanId, byte flags, String traceState, long perTryNanos) {
    // Core's fast paths: header names checked once, one array copy, no request builder.
    Headers headers = W3CTraceContext.inject(traceHigh, traceLow, spanId, flags, traceState, request.headers());
    return request.withHeadersAndTimeout(headers, perTryNanos);
  }
}
