package io.orchestra.observability.traces;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * What ending a sampled span does when the buffer between span recording and the trace store is
 * full ({@code tracing.whenBufferFull}). The choice only matters at a full buffer: below that,
 * recording never waits and never drops under either policy. Immutable.
 */
public enum BufferFullPolicy {
  /**
   * The recording thread drains the buffer into the trace store itself (caller-runs
   * backpressure): no span is lost, but the thread may wait on the store's monitor for a drain
   * or a query in progress (a correlation over a large window, for example). The default.
   */
  DRAIN,
  /**
   * The span is dropped and counted as bad input {@code span.buffer_full} (published at the next
   * drain): recording never waits, like logback's {@code AsyncAppender} with {@code neverBlock}
   * or OpenTelemetry's batch span processor. Spans are lost when drains fall behind, or never
   * run (an executor that rejects them leaves only the collection tick and queries to drain).
   */
  SHED;

  /**
   * Parses {@code drain}/{@code shed}, case-insensitively.
   *
   * @throws IllegalArgumentException otherwise, naming {@code tracing.whenBufferFull} and the value
   */
  @JsonCreator
  public static BufferFullPolicy parse(String value) {
    if (value != null) {
      String v = value.trim().toUpperCase(Locale.ROOT);
      for (BufferFullPolicy p : values()) {
        if (p.name().equals(v)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "tracing.whenBufferFull must be drain or shed, was \"" + value + "\"");
  }
}
