package io.orchestra.mesh.internal;

import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;

/**
 * The trace headers of an attempt's outgoing request, made straight from the ids (an unsampled
 * new trace has no {@code TraceContext}): {@code traceparent} through core's {@code
 * W3CTraceContext.formatTraceparent(long, long, long, byte)}, which writes the digits eight at a
 * time into a Latin-1 buffer. Stateless.
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
    Headers headers =
        request.headers().with(W3CTraceContext.TRACEPARENT, W3CTraceContext.formatTraceparent(traceHigh, traceLow, spanId, flags));
    if (!traceState.isEmpty()) {
      headers = headers.with(W3CTraceContext.TRACESTATE, traceState);
    }
    return request.toBuilder().headers(headers).timeoutNanos(perTryNanos).build();
  }
}
