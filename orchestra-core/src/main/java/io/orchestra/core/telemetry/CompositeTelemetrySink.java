package io.orchestra.core.telemetry;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.trace.TraceContext;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Fans out to several sinks. */
final class CompositeTelemetrySink implements TelemetrySink {
  private final TelemetrySink[] sinks;

  private CompositeTelemetrySink(TelemetrySink[] sinks) {
    this.sinks = sinks;
  }

  static TelemetrySink of(TelemetrySink... sinks) {
    Checks.noNulls("sinks", Arrays.asList(Checks.notNull("sinks", sinks)));
    if (sinks.length == 1) {
      return sinks[0];
    }
    return new CompositeTelemetrySink(sinks.clone());
  }

  @Override
  public Counter counter(String name, Tags tags) {
    Counter[] counters = new Counter[sinks.length];
    for (int i = 0; i < sinks.length; i++) {
      counters[i] = sinks[i].counter(name, tags);
    }
    return amount -> {
      for (Counter c : counters) {
        c.increment(amount);
      }
    };
  }

  @Override
  public Timer timer(String name, Tags tags) {
    Timer[] timers = new Timer[sinks.length];
    for (int i = 0; i < sinks.length; i++) {
      timers[i] = sinks[i].timer(name, tags);
    }
    return nanos -> {
      for (Timer t : timers) {
        t.record(nanos);
      }
    };
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    for (TelemetrySink s : sinks) {
      s.gauge(name, tags, value);
    }
  }

  @Override
  public Span startSpan(
      String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    Span[] spans = new Span[sinks.length];
    int live = 0;
    for (int i = 0; i < sinks.length; i++) {
      spans[i] = sinks[i].startSpan(name, kind, context, parentSpanId, startEpochNanos);
      if (spans[i] != Span.NOOP) {
        live++;
      }
    }
    if (live == 0) {
      return Span.NOOP;
    }
    List<Span> all = Arrays.asList(spans);
    return new Span() {
      @Override
      public Span attribute(String key, String value) {
        all.forEach(s -> s.attribute(key, value));
        return this;
      }

      @Override
      public Span attribute(String key, long value) {
        all.forEach(s -> s.attribute(key, value));
        return this;
      }

      @Override
      public Span error(String message) {
        all.forEach(s -> s.error(message));
        return this;
      }

      @Override
      public void end(long endEpochNanos) {
        all.forEach(s -> s.end(endEpochNanos));
      }
    };
  }

  @Override
  public void accessLog(AccessLogRecord record) {
    for (TelemetrySink s : sinks) {
      s.accessLog(record);
    }
  }

  @Override
  public void event(TelemetryEvent event) {
    for (TelemetrySink s : sinks) {
      s.event(event);
    }
  }
}
