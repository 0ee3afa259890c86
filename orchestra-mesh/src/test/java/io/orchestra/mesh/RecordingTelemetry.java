package io.orchestra.mesh;

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
import java.util.function.DoubleSupplier;

/** A telemetry sink that remembers everything, for assertions. */
final class RecordingTelemetry implements TelemetrySink {
  /** A recorded span. */
  static final class RecordedSpan implements Span {
    final String name;
    final SpanKind kind;
    final TraceContext context;
    final long parentSpanId;
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    final long startEpochNanos;
    volatile String error;
    volatile boolean ended;
    volatile long endEpochNanos;

    RecordedSpan(String name, SpanKind kind, TraceContext context, long parentSpanId) {
      this(name, kind, context, parentSpanId, 0);
    }

    RecordedSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
      this.name = name;
      this.kind = kind;
      this.context = context;
      this.parentSpanId = parentSpanId;
      this.startEpochNanos = startEpochNanos;
    }

    @Override
    public Span attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    @Override
    public Span attribute(String key, long value) {
      attributes.put(key, value);
      return this;
    }

    @Override
    public Span error(String message) {
      error = message;
      return this;
    }

    @Override
    public void end(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      ended = true;
    }
  }

  final Map<String, AtomicLong> timers = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  final List<RecordedSpan> spans = new CopyOnWriteArrayList<>();
  final List<AccessLogRecord> accessLogs = new CopyOnWriteArrayList<>();
  final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

  static String key(String name, Tags tags) {
    return name + tags.toMap();
  }

  long timerCount(String name, String... tags) {
    return timers.getOrDefault(key(name, Tags.of(tags)), new AtomicLong()).get();
  }

  long counter(String name, String... tags) {
    return counters.getOrDefault(key(name, Tags.of(tags)), new AtomicLong()).get();
  }

  long timerTotal(String name) {
    return timers.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "{"))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  @Override
  public Counter counter(String name, Tags tags) {
    AtomicLong c = counters.computeIfAbsent(key(name, tags), k -> new AtomicLong());
    return amount -> c.addAndGet((long) amount);
  }

  @Override
  public Timer timer(String name, Tags tags) {
    AtomicLong c = timers.computeIfAbsent(key(name, tags), k -> new AtomicLong());
    return nanos -> c.incrementAndGet();
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {}

  @Override
  public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    RecordedSpan s = new RecordedSpan(name, kind, context, parentSpanId, startEpochNanos);
    spans.add(s);
    return s;
  }

  @Override
  public void accessLog(AccessLogRecord record) {
    accessLogs.add(record);
  }

  @Override
  public void event(TelemetryEvent event) {
    events.add(event);
  }
}
