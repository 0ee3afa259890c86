package io.orchestra.core.telemetry;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.trace.TraceContext;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Fans out to several sinks. Every sink gets every call even when an earlier one throws; the
 * first exception is then rethrown (later ones suppressed on it), so one broken sink neither
 * starves the others nor hides its failure from the engine's own guard.
 */
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

  /** Calls {@code action} on every element, then rethrows the first failure, if any. */
  private static <T> void each(T[] targets, Consumer<? super T> action) {
    RuntimeException failure = null;
    for (T t : targets) {
      try {
        action.accept(t);
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    if (first != next) {
      first.addSuppressed(next);
    }
    return first;
  }

  @Override
  public Counter counter(String name, Tags tags) {
    Counter[] counters = new Counter[sinks.length];
    RuntimeException failure = null;
    for (int i = 0; i < sinks.length; i++) {
      try {
        counters[i] = sinks[i].counter(name, tags);
      } catch (RuntimeException e) {
        counters[i] = amount -> {};
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return amount -> {
      RuntimeException f = null;
      for (Counter c : counters) {
        try {
          c.increment(amount);
        } catch (RuntimeException e) {
          f = collect(f, e);
        }
      }
      if (f != null) {
        throw f;
      }
    };
  }

  @Override
  public Timer timer(String name, Tags tags) {
    Timer[] timers = new Timer[sinks.length];
    RuntimeException failure = null;
    for (int i = 0; i < sinks.length; i++) {
      try {
        timers[i] = sinks[i].timer(name, tags);
      } catch (RuntimeException e) {
        timers[i] = nanos -> {};
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return nanos -> {
      RuntimeException f = null;
      for (Timer t : timers) {
        try {
          t.record(nanos);
        } catch (RuntimeException e) {
          f = collect(f, e);
        }
      }
      if (f != null) {
        throw f;
      }
    };
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    each(sinks, s -> s.gauge(name, tags, value));
  }

  @Override
  public void remove(String name, Tags tags) {
    each(sinks, s -> s.remove(name, tags));
  }

  @Override
  public Span startSpan(
      String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    Span[] spans = new Span[sinks.length];
    int live = 0;
    RuntimeException failure = null;
    for (int i = 0; i < sinks.length; i++) {
      try {
        spans[i] = sinks[i].startSpan(name, kind, context, parentSpanId, startEpochNanos);
      } catch (RuntimeException e) {
        spans[i] = Span.NOOP;
        failure = collect(failure, e);
      }
      if (spans[i] != Span.NOOP) {
        live++;
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (live == 0) {
      return Span.NOOP;
    }
    return new Span() {
      @Override
      public Span attribute(String key, String value) {
        each(spans, s -> s.attribute(key, value));
        return this;
      }

      @Override
      public Span attribute(String key, long value) {
        each(spans, s -> s.attribute(key, value));
        return this;
      }

      @Override
      public Span error(String message) {
        each(spans, s -> s.error(message));
        return this;
      }

      @Override
      public void end(long endEpochNanos) {
        each(spans, s -> s.end(endEpochNanos));
      }
    };
  }

  @Override
  public void accessLog(AccessLogRecord record) {
    each(sinks, s -> s.accessLog(record));
  }

  @Override
  public void event(TelemetryEvent event) {
    each(sinks, s -> s.event(event));
  }
}
