package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceAnomalyKind;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completion of traces recorded through the sink: judged once idle, again when spans arrive later. */
class SinkTraceCompletionTest {

  @Test
  void aCleanTraceWithAnOrphanIsJudgedAndStillAnalysedWhenQueried() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled().toBuilder().serviceName("orders").build()).build()) {
      RandomSource random = RandomSource.seeded(3);
      TraceContext root = TraceContext.newRoot(random, true);
      engine.startSpan("GET /orders", TelemetrySink.SpanKind.SERVER, root, 0, Spans.BASE).end(Spans.BASE + 2_000_000_000L);
      engine.startSpan("audit", TelemetrySink.SpanKind.CLIENT, root.newChild(random), 42, Spans.BASE + 1_000_000)
          .attribute("peer.service", "audit").end(Spans.BASE + 2_000_000);
      time.advance(Duration.ofSeconds(30)); // collection ticks drain and complete

      assertThat(engine.recentTraceAnomalies()).extracting(TraceAnomaly::kind)
          .containsExactly(TraceAnomalyKind.ORPHAN_SPANS, TraceAnomalyKind.SLOW_SPAN);
      assertThat(engine.recentTraceAnomalies().get(0).service()).isEqualTo("orders");
      assertThat(engine.recentTraceAnomalies().get(0).operation()).isEqualTo("GET /orders");
      assertThat(engine.badInput().count("span", "unknown_parent")).isEqualTo(1);
      assertThat(engine.dependencyGraph(new TimeWindow(Spans.BASE / 1_000_000 - 1, time.millis())))
          .extracting(e -> e.caller() + ">" + e.callee()).containsExactly("orders>audit");
    }
  }

  @Test
  void collectingAChildOfASinkSpanThatEndedMergesItWithoutAnOrphan() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      TraceContext root = TraceContext.newRoot(RandomSource.seeded(5), true);
      // One span is far below half the buffer: no drain has run when collect comes.
      engine.startSpan("handle", TelemetrySink.SpanKind.SERVER, root, 0, Spans.BASE).end(Spans.BASE + 10_000_000);
      TraceResult r = engine.collectDistributedTrace(new TraceData(root.traceIdHex(), List.of(
          Spans.span(root.traceIdHex(), "00000000000000aa", root.spanIdHex(), "payments", "charge", 1, 9, false))));

      assertThat(r.hierarchy().orphans()).isEmpty();
      assertThat(r.hierarchy().roots()).containsExactly(root.spanIdHex());
      assertThat(r.metrics().spanCount()).isEqualTo(2);
      assertThat(r.acceptedSpans()).isEqualTo(1);
    }
  }

  @Test
  void aCompletedTraceIsJudgedAgainWhenASpanArrivesEvenIfItWasQueriedInBetween() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      RandomSource random = RandomSource.seeded(4);
      TraceContext root = TraceContext.newRoot(random, true);
      engine.startSpan("GET /orders", TelemetrySink.SpanKind.SERVER, root, 0, Spans.BASE).end(Spans.BASE + 1_000_000);
      engine.flush();
      assertThat(engine.recentTraceAnomalies()).isEmpty();

      TraceContext child = root.newChild(random);
      engine.startSpan("slow query", TelemetrySink.SpanKind.CLIENT, child, root.spanId(), Spans.BASE)
          .end(Spans.BASE + 1_500_000_000L);
      // A query drains the new span and analyses the trace; that must not count as judging it.
      assertThat(engine.dependencyGraph(new TimeWindow(Spans.BASE / 1_000_000 - 1, time.millis()))).isEmpty();
      engine.flush();

      assertThat(engine.recentTraceAnomalies()).singleElement().satisfies(a -> {
        assertThat(a.kind()).isEqualTo(TraceAnomalyKind.SLOW_SPAN);
        assertThat(a.spanId()).isEqualTo(child.spanIdHex());
      });
    }
  }
}
