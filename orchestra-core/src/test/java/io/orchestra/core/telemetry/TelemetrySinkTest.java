package io.orchestra.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import java.util.concurrent.TimeUnit;
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
}
