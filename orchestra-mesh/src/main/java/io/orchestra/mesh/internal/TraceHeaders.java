package io.orchestra.mesh.internal;

import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The trace headers of an attempt's outgoing request, made straight from the ids (an unsampled
 * new trace has no {@code TraceContext}): the {@code traceparent} value (version 00, the same text
 * as core's {@code W3CTraceContext.formatTraceparent}) and the trace id in hex. The request path
 * formats one header per attempt, so the digits are written eight at a time into a Latin-1
 * buffer, which the string copies (a {@code char[]} would be twice the size and need
 * compressing). Stateless.
 */
final class TraceHeaders {
  static final int TRACEPARENT_LENGTH = 55;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
    Headers headers = request.headers().with(W3CTraceContext.TRACEPARENT, traceparent(traceHigh, traceLow, spanId, flags));
    if (!traceState.isEmpty()) {
      headers = headers.with(W3CTraceContext.TRACESTATE, traceState);
    }
    return request.toBuilder().headers(headers).timeoutNanos(perTryNanos).build();
  }

  /** {@code 00-<trace id>-<span id>-<flags>} in lower-case hex. */
  static String traceparent(long traceIdHigh, long traceIdLow, long spanId, byte flags) {
    byte[] out = new byte[TRACEPARENT_LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    hex(traceIdHigh, out, 3);
    hex(traceIdLow, out, 19);
    out[35] = '-';
    hex(spanId, out, 36);
    out[52] = '-';
    int f = flags & 0xff;
    out[53] = digit(f >>> 4);
    out[54] = digit(f & 0xf);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** The trace id as 32 lower-case hex digits. */
  static String traceIdHex(long traceIdHigh, long traceIdLow) {
    byte[] out = new byte[32];
    hex(traceIdHigh, out, 0);
    hex(traceIdLow, out, 16);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** Writes {@code value} as 16 hex digits at {@code offset}. */
  static void hex(long value, byte[] out, int offset) {
    LONGS.set(out, offset, digits(value >>> 32));
    LONGS.set(out, offset + 8, digits(value & 0xffffffffL));
  }

  /**
   * The eight hex digits of the low 32 bits of {@code value}, most significant first, as eight
   * ASCII bytes in a long: the nibbles are spread one per byte, then each becomes {@code '0' + n},
   * plus the distance to {@code 'a'} where {@code n >= 10} (no byte ever carries into the next).
   */
  private static long digits(long value) {
    long x = value;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    long letters = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L; // 1 where n >= 10
    return x + 0x3030303030303030L + letters * ('a' - '0' - 10);
  }

  private static byte digit(int nibble) {
    return (byte) (nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
  }
}
