package io.orchestra.core.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.trace.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Forwards counters, timers and gauges to a Micrometer {@link MeterRegistry} the application
 * owns; spans, access logs and events are not metrics and are dropped (combine with another sink
 * through {@link TelemetrySink#composite}). Requires {@code micrometer-core} on the class path.
 */
public final class MicrometerTelemetrySink implements TelemetrySink {
  private final MeterRegistry registry;

  /** A sink publishing into {@code registry}. */
  public MicrometerTelemetrySink(MeterRegistry registry) {
    this.registry = Checks.notNull("registry", registry);
  }

  @Override
  public Counter counter(String name, Tags tags) {
    io.micrometer.core.instrument.Counter c =
        io.micrometer.core.instrument.Counter.builder(name).tags(toMicrometer(tags)).register(registry);
    return c::increment;
  }

  @Override
  public Timer timer(String name, Tags tags) {
    io.micrometer.core.instrument.Timer t =
        io.micrometer.core.instrument.Timer.builder(name).tags(toMicrometer(tags)).register(registry);
    return nanos -> t.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Registers a gauge that holds {@code value} strongly. (Micrometer holds a gauge's state object
   * weakly by default; engines pass lambdas that nothing else references, which would be collected
   * and leave the gauge reporting NaN.)
   */
  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble)
        .tags(toMicrometer(tags))
        .strongReference(true)
        .register(registry);
  }

  /** Removes the meter whose id is exactly {@code name} and {@code tags} (not those with more tags). */
  @Override
  public void remove(String name, Tags tags) {
    List<Tag> wanted = toMicrometer(tags);
    for (Meter m : registry.find(name).tags(wanted).meters()) {
      if (m.getId().getTags().size() == wanted.size()) {
        registry.remove(m);
      }
    }
  }

  @Override
  public Span startSpan(
      String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    return Span.NOOP;
  }

  @Override
  public void accessLog(AccessLogRecord record) {}

  @Override
  public void event(TelemetryEvent event) {}

  private static List<Tag> toMicrometer(Tags tags) {
    List<Tag> list = new ArrayList<>(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      list.add(Tag.of(tags.key(i), tags.value(i)));
    }
    return list;
  }
}
