package io.orchestra.observability;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.observability.traces.BufferFullPolicy;
import java.time.Duration;

/**
 * Immutable trace settings, the seed's {@code tracing} section plus storage bounds.
 *
 * @param samplingRate fraction of traces kept, decided from the trace id alone so that every
 *     service and engine keeps or drops the same traces; default 0.1 (seed)
 * @param maxTraceSize estimated bytes one trace may hold; spans beyond are dropped (latest start
 *     first) and counted; default 1 MiB (seed)
 * @param traceRetention stored traces older than this are dropped; default 3 days (seed)
 * @param distributedTracing when false no span is recorded or collected; default true (seed)
 * @param maxStoredTraces traces kept in memory at most (oldest evicted first); default 10,000
 * @param spanBufferSize capacity of the lock-free buffer between span recording and the trace
 *     store; what a full one does is {@code whenBufferFull}; default 8,192
 * @param whenBufferFull what ending a span does at a full span buffer: {@link
 *     BufferFullPolicy#DRAIN} keeps every span, the recording thread moving the buffer into the
 *     store itself and so possibly waiting for a drain or a query holding the store; {@link
 *     BufferFullPolicy#SHED} never waits, dropping the span (counted as {@code
 *     span.buffer_full}); default DRAIN
 * @param completionDelay a trace recorded through the sink is analysed once no span arrived for
 *     this long; default 5 s
 * @param slowSpanThreshold spans at least this long count as slow in correlation; default 1 s
 *     (seed)
 */
@JsonDeserialize(builder = TracingConfig.Builder.class)
public record TracingConfig(
    double samplingRate,
    long maxTraceSize,
    Duration traceRetention,
    boolean distributedTracing,
    int maxStoredTraces,
    int spanBufferSize,
    BufferFullPolicy whenBufferFull,
    Duration completionDelay,
    Duration slowSpanThreshold) {

  /** Validates every field; see {@link Builder}. */
  public TracingConfig {
    Checks.inRange("tracing.samplingRate", samplingRate, 0.0, 1.0);
    Checks.positive("tracing.maxTraceSize", maxTraceSize);
    Checks.positive("tracing.traceRetention", traceRetention);
    Checks.inRange("tracing.maxStoredTraces", maxStoredTraces, 1, 10_000_000);
    Checks.inRange("tracing.spanBufferSize", spanBufferSize, 16, 1 << 24);
    Checks.argument(
        Integer.bitCount(spanBufferSize) == 1,
        "tracing.spanBufferSize must be a power of two, was %s",
        spanBufferSize);
    Checks.notNull("tracing.whenBufferFull", whenBufferFull);
    Checks.nonNegative("tracing.completionDelay", completionDelay);
    Checks.positive("tracing.slowSpanThreshold", slowSpanThreshold);
  }

  /** The defaults. */
  public static TracingConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .samplingRate(samplingRate)
        .maxTraceSize(maxTraceSize)
        .traceRetention(traceRetention)
        .distributedTracing(distributedTracing)
        .maxStoredTraces(maxStoredTraces)
        .spanBufferSize(spanBufferSize)
        .whenBufferFull(whenBufferFull)
        .completionDelay(completionDelay)
        .slowSpanThreshold(slowSpanThreshold);
  }

  /** Builds a {@link TracingConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private double samplingRate = 0.1;
    private long maxTraceSize = 1024 * 1024;
    private Duration traceRetention = Duration.ofDays(3);
    private boolean distributedTracing = true;
    private int maxStoredTraces = 10_000;
    private int spanBufferSize = 8192;
    private BufferFullPolicy whenBufferFull = BufferFullPolicy.DRAIN;
    private Duration completionDelay = Duration.ofSeconds(5);
    private Duration slowSpanThreshold = Duration.ofSeconds(1);

    private Builder() {}

    /** Fraction of traces kept. */
    public Builder samplingRate(double v) {
      this.samplingRate = v;
      return this;
    }

    /** Estimated bytes per trace at most. */
    public Builder maxTraceSize(long v) {
      this.maxTraceSize = v;
      return this;
    }

    /** Maximum age of stored traces. */
    public Builder traceRetention(Duration v) {
      this.traceRetention = v;
      return this;
    }

    /** Whether tracing is on. */
    public Builder distributedTracing(boolean v) {
      this.distributedTracing = v;
      return this;
    }

    /** Traces kept at most. */
    public Builder maxStoredTraces(int v) {
      this.maxStoredTraces = v;
      return this;
    }

    /** Span buffer capacity (power of two). */
    public Builder spanBufferSize(int v) {
      this.spanBufferSize = v;
      return this;
    }

    /** What ending a span does at a full span buffer: drain it (may wait) or shed the span. */
    public Builder whenBufferFull(BufferFullPolicy v) {
      this.whenBufferFull = v;
      return this;
    }

    /** Quiet time before a sink-recorded trace is analysed. */
    public Builder completionDelay(Duration v) {
      this.completionDelay = v;
      return this;
    }

    /** Duration from which a span is slow. */
    public Builder slowSpanThreshold(Duration v) {
      this.slowSpanThreshold = v;
      return this;
    }

    /** The validated configuration. */
    public TracingConfig build() {
      return new TracingConfig(
          samplingRate,
          maxTraceSize,
          traceRetention,
          distributedTracing,
          maxStoredTraces,
          spanBufferSize,
          whenBufferFull,
          completionDelay,
          slowSpanThreshold);
    }
  }
}
