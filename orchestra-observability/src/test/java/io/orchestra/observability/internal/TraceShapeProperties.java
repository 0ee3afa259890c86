package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The facts completion judges small traces on agree with the full analysis'. */
class TraceShapeProperties {
  private static final String T = "0af7651916cd43dd8448eb211c80319c";

  @Property(tries = 2_000)
  void theShapeAgreesWithTheAnalysisAndRefusesOnlyWhatItCannotJudge(
      @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 0, max = 100) int unknownParentPercent,
      @ForAll @IntRange(min = 0, max = 30) int loopPercent,
      @ForAll @IntRange(min = 0, max = 5) int errorPercent,
      @ForAll long seed) {
    List<SpanData> spans = randomTrace(new Random(seed), T, n, unknownParentPercent, loopPercent, errorPercent);
    TraceAnalysis a = TraceAnalyzer.analyze(T, spans);
    TraceShape shape = new TraceShape();
    boolean judged = shape.of(spans);
    boolean analysable = n <= TraceShape.MAX_SPANS && a.metrics().errorCount() == 0 && a.hierarchy().cycleBreaks().isEmpty();
    assertThat(judged).as("shape judges exactly the small traces without failures or loops").isEqualTo(analysable);
    if (judged) {
      assertThat(shape.orphans).isEqualTo(a.hierarchy().orphans().size());
      assertThat(shape.durationNanos).isEqualTo(a.metrics().durationNanos());
      assertThat(shape.mainRoot.spanId()).isEqualTo(a.metrics().criticalPath().get(0).spanId());
      assertThat(shape.mainRoot.serviceName()).isEqualTo(a.metrics().rootService());
      assertThat(shape.mainRoot.operationName()).isEqualTo(a.metrics().rootOperation());
      assertThat(a.errorOrigins()).isEmpty();
    }
  }

  /** Spans with parents earlier in the list, unknown parents, loops (a span's parent a later span or itself), ties in start and duration. */
  static List<SpanData> randomTrace(Random r, String traceId, int n, int unknownParentPercent, int loopPercent, int errorPercent) {
    List<SpanData> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String parent;
      int roll = r.nextInt(100);
      if (i == 0 && roll < 50 || r.nextInt(8) == 0) {
        parent = null;
      } else if (roll < unknownParentPercent / 4) {
        parent = id(1_000 + r.nextInt(5));
      } else if (roll < unknownParentPercent / 4 + loopPercent) {
        parent = id(i + r.nextInt(n - i)); // itself or a later span: may close a loop
      } else {
        parent = i == 0 ? null : id(r.nextInt(i));
      }
      long start = 1_000 + r.nextInt(4) * 10L;
      long end = start + r.nextInt(3) * 100L;
      SpanData.Builder b = SpanData.builder(traceId, id(i)).parent(parent).service("svc" + r.nextInt(3)).operation("op" + i)
          .kind(SpanKind.SERVER).time(start, end).attributes(Map.of());
      if (r.nextInt(100) < errorPercent) {
        b.error("failed");
      }
      spans.add(b.build());
    }
    java.util.Collections.shuffle(spans, r);
    return spans;
  }

  private static String id(int n) {
    return String.format("%016x", n + 1);
  }
}
