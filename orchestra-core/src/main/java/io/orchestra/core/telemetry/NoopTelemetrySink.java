package io.orchestra.core.telemetry;

import io.orchestra.core.trace.TraceContext;
import java.util.function.DoubleSupplier;

/** Discards everything; handles are shared singletons. */
enum NoopTelemetrySink implements TelemetrySink {
  INSTANCE;

  private static final Counter COUNTER = amount -> {};
  private static final Timer TIMER = nanos -> {};

  @Override
  public Counter counter(String name, Tags tags) {
    return COUNTER;
  }

  @Override
  public Timer timer(String name, Tags tags) {
    return TIMER;
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {}

  @Override
  public Span startSpan(
      String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    return Span.NOOP;
  }

  @Override
  public void accessLog(AccessLogRecord record) {}

  @Override
  public void event(TelemetryEvent event) {}
}
