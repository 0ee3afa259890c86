package io.orchestra.core.telemetry;

import io.orchestra.core.trace.TraceContext;
import java.util.function.DoubleSupplier;

/**
 * The port every engine reports into: metrics, spans, access-log records and domain events.
 * orchestra-observability implements it; {@link MicrometerTelemetrySink} forwards metrics to a
 * Micrometer registry; {@link #noop()} discards everything and is the default.
 *
 * <p>Metrics are handles: an engine asks once for a {@link Counter} or {@link Timer} with its
 * tags and keeps it, so that recording on the hot path is a method call without lookups or
 * allocation. Names follow Micrometer conventions: lower case, dot-separated, base units (for
 * example {@code orchestra.discovery.picks}).
 *
 * <p>Implementations must be thread-safe and must never throw into the caller.
 */
public interface TelemetrySink {

  /** A monotonically increasing count. */
  Counter counter(String name, Tags tags);

  /** A distribution of durations. */
  Timer timer(String name, Tags tags);

  /** A value read on demand (pool sizes, queue lengths). Later registrations of the same id are ignored. */
  void gauge(String name, Tags tags, DoubleSupplier value);

  /**
   * Forgets the counter, timer or gauge registered as exactly {@code name} with exactly {@code
   * tags}, so that a series whose subject is gone (an instance that left discovery, a destination
   * that left the mesh) stops being published and its memory is released. Handles already given
   * out keep accepting records, which are then discarded by sinks that can forget; asking for the
   * same id again registers it anew, from zero. The default forgets nothing, which is right for a
   * sink that keeps no per-series state.
   */
  default void remove(String name, Tags tags) {}

  /**
   * Starts a span for work in {@code context} (whose span id is this span's id).
   *
   * @param name operation name, such as {@code GET /orders}
   * @param context this span's context; when it is not sampled the sink may return {@link
   *     Span#NOOP}
   * @param parentSpanId the parent span id, 0 for a root span
   * @param startEpochNanos start time, nanoseconds since the epoch
   */
  Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos);

  /** One access-log record (subject to the emitting engine's sampling). */
  void accessLog(AccessLogRecord record);

  /** One domain event (circuit transitions, scale decisions, saga state changes). */
  void event(TelemetryEvent event);

  /** A sink that discards everything. */
  static TelemetrySink noop() {
    return NoopTelemetrySink.INSTANCE;
  }

  /** A sink that forwards everything to each of {@code sinks}, in order. */
  static TelemetrySink composite(TelemetrySink... sinks) {
    return CompositeTelemetrySink.of(sinks);
  }

  /** A counter handle. */
  interface Counter {
    /** Adds one. */
    default void increment() {
      increment(1.0);
    }

    /** Adds {@code amount} ({@code >= 0}). */
    void increment(double amount);
  }

  /** A timer handle. */
  interface Timer {
    /** Records one duration in nanoseconds. */
    void record(long nanos);
  }

  /** The role of a span in a call. */
  enum SpanKind {
    /** Work inside a process. */
    INTERNAL,
    /** The calling side of a remote call. */
    CLIENT,
    /** The serving side of a remote call. */
    SERVER
  }

  /** A span being recorded. Not thread-safe: one thread records and ends it. */
  interface Span {
    /** A span that records nothing. */
    Span NOOP = new Span() {
          @Override
          public Span attribute(String key, String value) {
            return this;
          }

          @Override
          public Span attribute(String key, long value) {
            return this;
          }

          @Override
          public Span error(String message) {
            return this;
          }

          @Override
          public void end(long endEpochNanos) {}
        };

    /** Adds a string attribute. */
    Span attribute(String key, String value);

    /** Adds a numeric attribute. */
    Span attribute(String key, long value);

    /** Marks the span as failed. */
    Span error(String message);

    /** Ends the span; later calls are ignored. */
    void end(long endEpochNanos);
  }
}
