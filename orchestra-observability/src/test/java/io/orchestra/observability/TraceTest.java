package io.orchestra.observability;

import static io.orchestra.observability.Spans.id16;
import static io.orchestra.observability.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.traces.CriticalPathSegment;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.SpanRejection;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceAnomalyKind;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceHierarchy;
import io.orchestra.observability.traces.TraceResult;
import io.orchestra.observability.traces.TraceSampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceTest {
  private static final String T = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void buildsTheHierarchyFromOutOfOrderSpansWithOrphansAndCycles() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      List<SpanData> spans = new ArrayList<>(List.of(
          span(T, id16(1), null, "gateway", "GET /checkout", 0, 500, false),
          span(T, id16(2), id16(1), "checkout", "checkout", 10, 480, false),
          span(T, id16(3), id16(2), "payments", "charge", 20, 300, false),
          span(T, id16(4), id16(2), "inventory", "reserve", 310, 470, false),
          span(T, id16(5), id16(3), "payments", "db", 30, 290, false),
          span(T, id16(6), id16(99), "audit", "record", 40, 60, false),   // parent never arrives
          span(T, id16(7), id16(8), "loop", "a", 100, 110, false),        // 7 <-> 8 loop
          span(T, id16(8), id16(7), "loop", "b", 105, 120, false),
          span(T, id16(9), id16(9), "self", "own parent", 200, 210, false)));
      Collections.shuffle(spans, new Random(3));
      TraceResult r = engine.collectDistributedTrace(new TraceData(T, spans));
      assertThat(r.success()).isTrue();
      TraceHierarchy h = r.hierarchy();
      assertThat(h.roots()).containsExactly(id16(1));
      assertThat(h.orphans()).containsExactly(id16(6));
      assertThat(h.cycleBreaks()).containsExactly(id16(7), id16(9));
      assertThat(h.childrenOf(id16(2))).containsExactly(id16(3), id16(4)); // by start time
      assertThat(h.childrenOf(id16(7))).containsExactly(id16(8));
      assertThat(h.depth()).isEqualTo(4);
      assertThat(r.metrics().spanCount()).isEqualTo(9);
      assertThat(r.metrics().durationNanos()).isEqualTo(500_000_000L);
      assertThat(r.metrics().rootService()).isEqualTo("gateway");
      assertThat(r.metrics().criticalPath()).extracting(CriticalPathSegment::spanId)
          .containsExactly(id16(1), id16(2), id16(4)); // inventory finishes last
      assertThat(r.anomalies()).extracting(TraceAnomaly::kind).contains(TraceAnomalyKind.ORPHAN_SPANS, TraceAnomalyKind.CYCLE);
      engine.flush();
      assertThat(engine.badInput().count("span", "unknown_parent")).isEqualTo(1);
      assertThat(engine.badInput().count("span", "cycle")).isEqualTo(2);
      assertThat(engine.dependencyGraph(TimeWindow.last(Duration.ofDays(1), time))).extracting(e -> e.caller() + ">" + e.callee())
          .containsExactly("checkout>inventory", "checkout>payments", "gateway>checkout");
    }
  }

  @Test
  void invalidSpansAreRejectedOneByOneAndPartsOfATraceMerge() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      TraceResult first = engine.collectDistributedTrace(new TraceData(T, List.of(
          span(T, id16(2), id16(1), "orders", "create", 10, 90, false),
          span(T, "xyz", null, "orders", "bad id", 0, 1, false),
          span(T, id16(3), id16(2), "orders", "negative", 50, 40, false),
          span("11111111111111111111111111111111", id16(4), null, "orders", "other trace", 0, 1, false))));
      assertThat(first.acceptedSpans()).isEqualTo(1);
      assertThat(first.rejectedSpans()).extracting(SpanRejection::reason)
          .containsExactly("invalid_span_id", "negative_duration", "trace_id_mismatch");
      assertThat(first.hierarchy().orphans()).containsExactly(id16(2));
      TraceResult second = engine.collectDistributedTrace(new TraceData(T, List.of(
          span(T, id16(1), null, "gateway", "POST /orders", 0, 100, false),
          span(T, id16(2), id16(1), "orders", "create", 10, 90, false))));
      assertThat(second.rejectedSpans()).extracting(SpanRejection::reason).containsExactly("duplicate_span_id");
      assertThat(second.hierarchy().orphans()).isEmpty();
      assertThat(second.hierarchy().roots()).containsExactly(id16(1));
      assertThat(second.metrics().spanCount()).isEqualTo(2);

      TraceResult invalid = engine.collectDistributedTrace(new TraceData("not-a-trace-id", List.of()));
      assertThat(invalid.success()).isFalse();
      assertThat(invalid.reason()).isEqualTo("invalid_trace_data");
      engine.flush();
      assertThat(engine.badInput().count("span", "unknown_parent")).as("the parent arrived before completion").isZero();
    }
  }

  @Test
  void oversizedTracesKeepTheirEarliestSpansAndCountTheRest() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = ObservabilityConfig.builder()
        .tracing(TracingConfig.builder().samplingRate(1.0).maxTraceSize(2_000).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      List<SpanData> spans = new ArrayList<>();
      spans.add(span(T, id16(0), null, "big", "root", 0, 1000, false));
      for (int i = 1; i < 100; i++) {
        spans.add(span(T, id16(i), id16(0), "big", "child " + i, i, i + 1, false));
      }
      Collections.reverse(spans);
      TraceResult r = engine.collectDistributedTrace(new TraceData(T, spans));
      assertThat(r.success()).isTrue();
      assertThat(r.acceptedSpans()).isBetween(5, 20);
      assertThat(r.hierarchy().roots()).containsExactly(id16(0));
      assertThat(r.rejectedSpans()).hasSize(100 - r.acceptedSpans()).allMatch(x -> x.reason().equals("too_large"));
      assertThat(engine.badInput().count("trace", "too_large")).isEqualTo(100 - r.acceptedSpans());
    }
  }

  @Test
  void twoEnginesWithTheSameRateKeepExactlyTheSameTraces() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = ObservabilityConfig.defaults(); // 10 %
    try (ObservabilityEngine a = Engines.on(time, config).build();
        ObservabilityEngine b = Engines.on(time, ObservabilityConfig.builder().serviceName("other").build()).build()) {
      RandomSource random = RandomSource.seeded(11);
      int kept = 0;
      int n = 20_000;
      for (int i = 0; i < n; i++) {
        TraceContext ctx = TraceContext.newRoot(random, true);
        boolean sa = a.startSpan("x", TelemetrySink.SpanKind.SERVER, ctx, 0, Spans.BASE) != TelemetrySink.Span.NOOP;
        boolean sb = b.startSpan("y", TelemetrySink.SpanKind.CLIENT, ctx.newChild(random), 0, Spans.BASE) != TelemetrySink.Span.NOOP;
        assertThat(sb).isEqualTo(sa);
        TraceResult ra = a.collectDistributedTrace(new TraceData(ctx.traceIdHex(), List.of(span(ctx.traceIdHex(), id16(1), null, "s", "op", 0, 1, false))));
        assertThat(ra.reason() == null).isEqualTo(sa);
        kept += sa ? 1 : 0;
      }
      assertThat((double) kept / n).isBetween(0.09, 0.11);
      // Sequential (non-random) ids are mixed before sampling, so they sample at the rate too.
      TraceSampler s = new TraceSampler(0.1);
      int seq = 0;
      for (long i = 1; i <= n; i++) {
        seq += s.sample(0, i) ? 1 : 0;
      }
      assertThat((double) seq / n).isBetween(0.09, 0.11);
      // A higher rate keeps a superset.
      TraceSampler wide = new TraceSampler(0.5);
      for (long i = 1; i <= n; i++) {
        if (s.sample(7, i)) {
          assertThat(wide.sample(7, i)).isTrue();
        }
      }
      TelemetrySink.Span unsampledFlag = a.startSpan("x", TelemetrySink.SpanKind.SERVER, TraceContext.newRoot(random, false), 0, Spans.BASE);
      assertThat(unsampledFlag).isSameAs(TelemetrySink.Span.NOOP);
    }
  }

  @Test
  void sinkSpansAreBufferedDrainedAssembledAndMasked() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled().toBuilder().serviceName("checkout").build()).build()) {
      RandomSource random = RandomSource.seeded(5);
      TraceContext root = TraceContext.newRoot(random, true);
      TraceContext child = root.newChild(random);
      engine.startSpan("GET /checkout", TelemetrySink.SpanKind.SERVER, root, 0, Spans.BASE)
          .attribute("http.url", "/pay?password=hunter2").end(Spans.BASE + 80_000_000);
      engine.startSpan("POST /charge", TelemetrySink.SpanKind.CLIENT, child, root.spanId(), Spans.BASE + 5_000_000)
          .attribute("peer.service", "payments").attribute("retries", 2).error("card 4111111111111111 declined")
          .end(Spans.BASE + 70_000_000);
      time.advance(Duration.ofSeconds(30)); // drained and completed by the collection ticks
      assertThat(engine.recentTraceAnomalies()).extracting(TraceAnomaly::kind).contains(TraceAnomalyKind.ERROR_ORIGIN);
      List<DependencyEdge> edges = engine.dependencyGraph(new TimeWindow(Spans.BASE / 1_000_000 - 1, time.millis()));
      assertThat(edges).singleElement().satisfies(e -> {
        assertThat(e.caller()).isEqualTo("checkout");
        assertThat(e.callee()).isEqualTo("payments");
        assertThat(e.errors()).isEqualTo(1);
      });
      TraceResult again = engine.collectDistributedTrace(new TraceData(root.traceIdHex(), List.of()));
      assertThat(again.success()).isFalse();
      var correlation = engine.correlateObservabilityData(new TimeWindow(Spans.BASE / 1_000_000 - 1, time.millis()));
      assertThat(correlation.requestCorrelations()).singleElement().satisfies(rc -> {
        assertThat(rc.spanCount()).isEqualTo(2);
        assertThat(rc.errorOrigin()).isEqualTo("checkout");
      });
      assertThat(correlation.toString()).doesNotContain("hunter2", "4111111111111111");
      assertThat(engine.recentTraceAnomalies().toString()).doesNotContain("4111111111111111");
    }
  }

  @Test
  void slowSpansAndTracesSlowerThanTheirOperationsBaselineAreAnomalies() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      Random random = new Random(9);
      for (int i = 0; i < 40; i++) {
        String t = Spans.trace(i);
        long ms = 100 + random.nextInt(10);
        TraceResult r = engine.collectDistributedTrace(new TraceData(t, List.of(
            span(t, id16(1), null, "gateway", "GET /orders", 0, ms, false),
            span(t, id16(2), id16(1), "orders", "list", 5, ms - 5, false))));
        assertThat(r.anomalies()).as("trace %s", i).isEmpty();
      }
      String t = Spans.trace(99);
      TraceResult slow = engine.collectDistributedTrace(new TraceData(t, List.of(
          span(t, id16(1), null, "gateway", "GET /orders", 0, 1_500, false),
          span(t, id16(2), id16(1), "orders", "list", 5, 1_495, false))));
      assertThat(slow.anomalies()).extracting(TraceAnomaly::kind)
          .containsExactlyInAnyOrder(TraceAnomalyKind.SLOW_SPAN, TraceAnomalyKind.SLOW_SPAN, TraceAnomalyKind.SLOW_TRACE);
      assertThat(slow.anomalies()).filteredOn(a -> a.kind() == TraceAnomalyKind.SLOW_TRACE).singleElement().satisfies(a -> {
        assertThat(a.service()).isEqualTo("gateway");
        assertThat(a.operation()).isEqualTo("GET /orders");
        assertThat(a.value()).isEqualTo(1_500.0);
        assertThat(a.expectedHigh()).isBetween(100.0, 200.0);
      });
    }
  }
}
