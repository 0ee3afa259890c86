package io.orchestra.discovery.testing;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.trace.TraceContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/** A telemetry sink that remembers counters, timer counts, gauges and events, for assertions. */
public final class RecordingTelemetry implements TelemetrySink {
  private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> timers = new ConcurrentHashMap<>();
  private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  public final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
  /** Called with every event on the emitting thread, after it is recorded; a test may block in it. */
  public volatile Consumer<TelemetryEvent> onEvent = e -> {};

  private static String key(String name, Tags tags) {
    return name + tags.toMap();
  }

  @Override
  public Counter counter(String name, Tags tags) {
    DoubleAdder a = counters.computeIfAbsent(key(name, tags), k -> new DoubleAdder());
    return a::add;
  }

  @Override
  public Timer timer(String name, Tags tags) {
    LongAdder a = timers.computeIfAbsent(key(name, tags), k -> new LongAdder());
    return nanos -> a.increment();
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    gauges.putIfAbsent(key(name, tags), value);
  }

  @Override
  public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    return Span.NOOP;
  }

  @Override
  public void accessLog(AccessLogRecord record) {}

  @Override
  public void event(TelemetryEvent event) {
    events.add(event);
    onEvent.accept(event);
  }

  /** The count of a counter, 0 when never created. */
  public double count(String name, String... tags) {
    DoubleAdder a = counters.get(key(name, Tags.of(tags)));
    return a == null ? 0 : a.sum();
  }

  /** How many durations a timer recorded. */
  public long timerCount(String name, String... tags) {
    LongAdder a = timers.get(key(name, Tags.of(tags)));
    return a == null ? 0 : a.sum();
  }

  /** A gauge's current value, or NaN. */
  public double gauge(String name, String... tags) {
    DoubleSupplier s = gauges.get(key(name, Tags.of(tags)));
    return s == null ? Double.NaN : s.getAsDouble();
  }

  /** Events of one type. */
  public List<TelemetryEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }
}
