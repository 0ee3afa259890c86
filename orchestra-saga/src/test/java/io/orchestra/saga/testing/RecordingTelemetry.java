package io.orchestra.saga.testing;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.trace.TraceContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;

/** A telemetry sink that remembers everything, keyed by {@code name + tags}. */
public final class RecordingTelemetry implements TelemetrySink {
  public final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
  public final Map<String, AtomicLong> timerCounts = new ConcurrentHashMap<>();
  public final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  public final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

  public static String key(String name, String... tags) {
    return name + Tags.of(tags);
  }

  public double counter(String name, String... tags) {
    DoubleAdder a = counters.get(key(name, tags));
    return a == null ? 0 : a.sum();
  }

  public long timerCount(String name, String... tags) {
    AtomicLong c = timerCounts.get(key(name, tags));
    return c == null ? 0 : c.get();
  }

  public double gauge(String name, String... tags) {
    return gauges.get(key(name, tags)).getAsDouble();
  }

  @Override
  public Counter counter(String name, Tags tags) {
    DoubleAdder a = counters.computeIfAbsent(name + tags, k -> new DoubleAdder());
    return a::add;
  }

  @Override
  public Timer timer(String name, Tags tags) {
    AtomicLong c = timerCounts.computeIfAbsent(name + tags, k -> new AtomicLong());
    return nanos -> c.incrementAndGet();
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    gauges.putIfAbsent(name + tags, value);
  }

  @Override
  public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long start) {
    return Span.NOOP;
  }

  @Override
  public void accessLog(AccessLogRecord record) {}

  @Override
  public void event(TelemetryEvent event) {
    events.add(event);
  }
}
