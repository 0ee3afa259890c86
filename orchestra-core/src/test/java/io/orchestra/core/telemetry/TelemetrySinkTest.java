package io.orchestra.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class TelemetrySinkTest {
  @Test
  void micrometerSink_publishesCountersTimersAndGauges_compositeFansOut() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TelemetrySink sink = TelemetrySink.composite(new MicrometerTelemetrySink(registry), TelemetrySink.noop());

    sink.counter("orchestra.test.calls", Tags.of("service", "orders")).increment();
    sink.counter("orchestra.test.calls", Tags.of("service", "orders")).increment(2);
    sink.timer("orchestra.test.latency", Tags.of("service", "orders")).record(TimeUnit.MILLISECONDS.toNanos(5));
    sink.gauge("orchestra.test.size", Tags.empty(), () -> 7);

    assertThat(registry.get("orchestra.test.calls").tag("service", "orders").counter().count()).isEqualTo(3.0);
    assertThat(registry.get("orchestra.test.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
    assertThat(registry.get("orchestra.test.size").gauge().value()).isEqualTo(7.0);

    TraceContext ctx = TraceContext.newRoot(RandomSource.seeded(1), true);
    assertThat(sink.startSpan("x", TelemetrySink.SpanKind.CLIENT, ctx, 0, 0)).isSameAs(TelemetrySink.Span.NOOP);
  }

  @Test
  void micrometerRemove_forgetsExactlyTheNamedSeries_andARenewedHandleStartsAtZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TelemetrySink sink = TelemetrySink.composite(new MicrometerTelemetrySink(registry), TelemetrySink.noop());
    TelemetrySink.Counter gone = sink.counter("orchestra.test.picks", Tags.of("service", "orders", "instance", "a"));
    sink.counter("orchestra.test.picks", Tags.of("service", "orders", "instance", "b")).increment();
    sink.counter("orchestra.test.picks", Tags.of("service", "orders")).increment();
    sink.timer("orchestra.test.latency", Tags.of("service", "orders", "instance", "a")).record(1);
    gone.increment(5);

    sink.remove("orchestra.test.picks", Tags.of("service", "orders", "instance", "a"));
    sink.remove("orchestra.test.latency", Tags.of("service", "orders")); // fewer tags: matches nothing

    assertThat(registry.find("orchestra.test.picks").tag("instance", "a").counter()).isNull();
    assertThat(registry.find("orchestra.test.picks").tag("instance", "b").counter().count()).isEqualTo(1.0);
    assertThat(registry.find("orchestra.test.picks").meters()).hasSize(2);
    assertThat(registry.find("orchestra.test.latency").timer()).isNotNull();
    gone.increment(); // an old handle is harmless
    sink.counter("orchestra.test.picks", Tags.of("service", "orders", "instance", "a")).increment();
    assertThat(registry.get("orchestra.test.picks").tag("instance", "a").counter().count()).isEqualTo(1.0);
  }

  @Test
  void micrometerGauge_keepsReadingAfterGarbageCollection() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registerGaugeNobodyElseReferences(new MicrometerTelemetrySink(registry));
    for (int i = 0; i < 5; i++) {
      System.gc(); // a weakly held supplier would be collected here
    }
    assertThat(registry.get("orchestra.test.pool").gauge().value()).isEqualTo(42.0);
  }

  /** Like the engines do: a capturing lambda that only the sink keeps. */
  private static void registerGaugeNobodyElseReferences(TelemetrySink sink) {
    java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger(42);
    sink.gauge("orchestra.test.pool", Tags.empty(), () -> size.get());
  }

  @Test
  void tags_areSortedAndComparable() {
    Tags a = Tags.of("b", "2", "a", "1");
    Tags b = Tags.of("a", "1").and("b", "2");
    assertThat(a).isEqualTo(b);
    assertThat(a.key(0)).isEqualTo("a");
    assertThat(a.get("b")).isEqualTo("2");
  }

  @Test
  void composite_aBrokenSinkNeitherStarvesTheOthers_norHidesItsFailure() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TelemetrySink broken =
        new DiscardingSink() {
          @Override
          public Counter counter(String name, Tags tags) {
            return amount -> {
              throw new IllegalStateException("counter down");
            };
          }

          @Override
          public Timer timer(String name, Tags tags) {
            throw new IllegalStateException("timer down");
          }

          @Override
          public void event(TelemetryEvent event) {
            throw new IllegalStateException("events down");
          }
        };
    List<TelemetryEvent> events = new ArrayList<>();
    TelemetrySink recordingEvents =
        new DiscardingSink() {
          @Override
          public void event(TelemetryEvent event) {
            events.add(event);
          }
        };
    TelemetrySink sink =
        TelemetrySink.composite(broken, new MicrometerTelemetrySink(registry), recordingEvents);

    TelemetrySink.Counter counter = sink.counter("c", Tags.empty());
    assertThatThrownBy(counter::increment).hasMessage("counter down");
    assertThat(registry.get("c").counter().count()).isEqualTo(1.0);
    assertThatThrownBy(() -> sink.timer("t", Tags.empty())).hasMessage("timer down");
    assertThatThrownBy(() -> sink.event(new TelemetryEvent("x", "test", 0, Map.of()))).hasMessage("events down");
    assertThat(events).hasSize(1);
  }

  /** Discards everything; tests override what they watch or break. */
  private static class DiscardingSink implements TelemetrySink {
    private final TelemetrySink noop = TelemetrySink.noop();

    @Override
    public Counter counter(String name, Tags tags) {
      return noop.counter(name, tags);
    }

    @Override
    public Timer timer(String name, Tags tags) {
      return noop.timer(name, tags);
    }

    @Override
    public void gauge(String name, Tags tags, DoubleSupplier value) {}

    @Override
    public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
      return Span.NOOP;
    }

    @Override
    public void accessLog(AccessLogRecord record) {}

    @Override
    public void event(TelemetryEvent event) {}
  }
}
