package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.TracingConfig;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Sink spans completed through the shape (or, when it refuses, the analysis) are judged exactly
 * as the same spans collected whole, which always go through the analysis: same anomalies,
 * including the baseline's SLOW_TRACE verdicts over a sequence of traces.
 */
class TraceJudgementProperties {

  @Property(tries = 40)
  void completingSinkSpansJudgesThemAsCollectingThemDoes(@ForAll long seed) {
    ObservabilityConfig config = ObservabilityConfig.builder()
        .tracing(TracingConfig.builder().samplingRate(1.0).slowSpanThreshold(Duration.ofNanos(150)).build())
        .build();
    TracePipeline collected = new TracePipeline(config, new BadInputCounters(null), () -> 0L, Runnable::run);
    BadInputCounters sinkBad = new BadInputCounters(null);
    TracePipeline recorded = new TracePipeline(config, sinkBad, () -> 0L, Runnable::run);
    Random r = new Random(seed);
    int orphans = 0;
    for (int i = 0; i < 80; i++) {
      // Mostly small clean traces (the shape's), some with failures, loops or many spans.
      int n = r.nextInt(10) == 0 ? 33 + r.nextInt(8) : 1 + r.nextInt(8);
      String traceId = String.format("%016x%016x", 0xabcdefL + i, 0x1234567L * (i + 1));
      List<SpanData> spans = TraceShapeProperties.randomTrace(r, traceId, n, r.nextInt(60), r.nextInt(4) == 0 ? 20 : 0, r.nextInt(5) == 0 ? 20 : 0);
      TraceResult whole = collected.collect(new TraceData(traceId, spans));
      assertThat(whole.success()).isTrue();
      orphans += whole.hierarchy().orphans().size();
      for (SpanData s : spans) {
        record(recorded, traceId, s);
      }
      List<TraceAnomaly> completed = recorded.complete(true);
      assertThat(completed).as("trace %s", i).containsExactlyInAnyOrderElementsOf(whole.anomalies());
    }
    assertThat(sinkBad.snapshot().count("span", "unknown_parent")).isEqualTo(orphans);
  }

  private static void record(TracePipeline pipeline, String traceId, SpanData s) {
    TraceContext ctx = TraceContext.of(Ids.high64(traceId), Ids.low64(traceId), Long.parseUnsignedLong(s.spanId(), 16), true);
    long parent = s.parentSpanId() == null ? 0 : Long.parseUnsignedLong(s.parentSpanId(), 16);
    TelemetrySink.Span span = pipeline.startSpan(s.operationName(), s.kind(), ctx, parent, s.startEpochNanos())
        .attribute("service", s.serviceName());
    if (s.error()) {
      span.error(s.errorMessage());
    }
    span.end(s.endEpochNanos());
  }
}
