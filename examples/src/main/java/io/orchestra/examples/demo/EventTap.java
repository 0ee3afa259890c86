package io.orchestra.examples.demo;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.trace.TraceContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * A sink that keeps the engines' domain events (breaker transitions, health changes, saga
 * outcomes) so the demo can print them and check its story; everything else it drops. It sits
 * beside the observability engine in a composite sink: the engine gets every signal, the tap
 * only lets the demo read the events back. Thread-safe.
 */
final class EventTap implements TelemetrySink {
  private static final TelemetrySink DROP = TelemetrySink.noop();

  private final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public Counter counter(String name, Tags tags) {
    return DROP.counter(name, tags);
  }

  @Override
  public Timer timer(String name, Tags tags) {
    return DROP.timer(name, tags);
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    DROP.gauge(name, tags, value);
  }

  @Override
  public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    return DROP.startSpan(name, kind, context, parentSpanId, startEpochNanos);
  }

  @Override
  public void accessLog(AccessLogRecord record) {
    DROP.accessLog(record);
  }

  @Override
  public void event(TelemetryEvent event) {
    events.add(event);
  }

  /** The events of {@code type} seen so far that match {@code filter}, oldest first. */
  List<TelemetryEvent> events(String type, Predicate<TelemetryEvent> filter) {
    return events.stream().filter(e -> e.type().equals(type) && filter.test(e)).toList();
  }

  /** The breaker transitions of one mesh instance breaker, oldest first. */
  List<TelemetryEvent> breakerTransitions(String instanceId) {
    return events("circuit_breaker.state_transition", e -> instanceId.equals(e.attributes().get("instance")));
  }
}
