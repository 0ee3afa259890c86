package io.orchestra.core.trace;

import io.orchestra.core.internal.Hex;
import io.orchestra.core.time.RandomSource;
import java.nio.charset.StandardCharsets;

/**
 * The W3C Trace Context of one span: a 128-bit trace id, a 64-bit span (parent) id, the sampled
 * flag and the vendor {@code tracestate}. Immutable.
 *
 * <p>Ids are kept as numbers so that creating and comparing contexts allocates little; the hex
 * forms are computed on demand. Parse and format headers with {@link W3CTraceContext}.
 */
public final class TraceContext {
  private static final byte FLAG_SAMPLED = 0x01;

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final byte flags;
  private final String traceState;

  TraceContext(long traceIdHigh, long traceIdLow, long spanId, byte flags, String traceState) {
    if (traceIdHigh == 0 && traceIdLow == 0) {
      throw new IllegalArgumentException("trace id must not be all zeros");
    }
    if (spanId == 0) {
      throw new IllegalArgumentException("span id must not be all zeros");
    }
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.flags = flags;
    this.traceState = traceState == null ? "" : traceState;
  }

  /** A context with the given ids, {@code sampled} flag and no trace state. */
  public static TraceContext of(long traceIdHigh, long traceIdLow, long spanId, boolean sampled) {
    return new TraceContext(traceIdHigh, traceIdLow, spanId, sampled ? FLAG_SAMPLED : 0, "");
  }

  /** A new trace with random ids. */
  public static TraceContext newRoot(RandomSource random, boolean sampled) {
    return of(nonZero(random), nonZero(random), nonZero(random), sampled);
  }

  /** A child span in the same trace: same trace id, flags and state, a new random span id. */
  public TraceContext newChild(RandomSource random) {
    return new TraceContext(traceIdHigh, traceIdLow, nonZero(random), flags, traceState);
  }

  /** This context with a different sampled flag. */
  public TraceContext withSampled(boolean sampled) {
    byte f = (byte) (sampled ? flags | FLAG_SAMPLED : flags & ~FLAG_SAMPLED);
    return f == flags ? this : new TraceContext(traceIdHigh, traceIdLow, spanId, f, traceState);
  }

  /** High 64 bits of the trace id. */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  /** Low 64 bits of the trace id. */
  public long traceIdLow() {
    return traceIdLow;
  }

  /** The span id of this context (the {@code parent-id} field of a {@code traceparent}). */
  public long spanId() {
    return spanId;
  }

  /** The trace flags byte. */
  public byte flags() {
    return flags;
  }

  /** Whether the caller recorded this trace (flag {@code 01}). */
  public boolean sampled() {
    return (flags & FLAG_SAMPLED) != 0;
  }

  /** The validated {@code tracestate} value, or the empty string. */
  public String traceState() {
    return traceState;
  }

  /** The trace id as 32 lower-case hex digits. */
  public String traceIdHex() {
    return traceIdHex(traceIdHigh, traceIdLow);
  }

  /** The trace id made of {@code traceIdHigh} and {@code traceIdLow} as 32 lower-case hex digits. */
  public static String traceIdHex(long traceIdHigh, long traceIdLow) {
    byte[] out = new byte[32];
    Hex.write(traceIdHigh, out, 0);
    Hex.write(traceIdLow, out, 16);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** The span id as 16 lower-case hex digits. */
  public String spanIdHex() {
    byte[] out = new byte[16];
    Hex.write(spanId, out, 0);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** The {@code traceparent} header value, version 00. */
  public String toTraceparent() {
    return W3CTraceContext.formatTraceparent(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceContext t
        && t.traceIdHigh == traceIdHigh
        && t.traceIdLow == traceIdLow
        && t.spanId == spanId
        && t.flags == flags
        && t.traceState.equals(traceState);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(traceIdHigh ^ traceIdLow ^ spanId) * 31 + flags;
  }

  @Override
  public String toString() {
    return toTraceparent() + (traceState.isEmpty() ? "" : " " + traceState);
  }

  private static long nonZero(RandomSource random) {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }
}
