package io.orchestra.observability.internal;

import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.Severity;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceAnomalyKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a trace: error origins, orphans, parent loops, slow spans, and a trace slower than its
 * root operation's robust latency baseline (fed once per trace), from the full {@link
 * TraceAnalysis} or, for a small trace without failures or loops, from its {@link TraceShape}.
 *
 * <p>Not thread-safe: the trace pipeline calls it under the store lock.
 */
final class TraceJudge {
  private static final int MAX_BASELINES = 10_000;

  private final MetricsConfigView baselineConfig;
  private final long slowSpanNanos;
  // Root service -> root operation -> baseline: two lookups instead of building a key per trace.
  private final Map<String, Map<String, RobustBaseline>> baselines = new HashMap<>();
  private int baselineCount;
  // The last root operation judged and its baseline: a service's traces mostly share a few root
  // operations, so identical name instances skip the two map lookups. Baselines are never
  // removed, so the remembered one stays the map's.
  private String lastService;
  private String lastOperation;
  private RobustBaseline lastBaseline;

  TraceJudge(ObservabilityConfig config) {
    this.baselineConfig = new MetricsConfigView(config);
    this.slowSpanNanos = config.tracing().slowSpanThreshold().toNanos();
  }

  /** The anomalies of {@code t} as it stands; feeds the root-operation baseline once per trace. */
  List<TraceAnomaly> judge(StoredTrace t, TraceAnalysis a) {
    List<TraceAnomaly> out = new ArrayList<>();
    for (SpanData s : a.errorOrigins()) {
      List<String> up = a.propagation().getOrDefault(s.spanId(), List.of());
      out.add(new TraceAnomaly(t.traceId, TraceAnomalyKind.ERROR_ORIGIN, s.spanId(), s.serviceName(), s.operationName(),
          1, Double.NaN, up.isEmpty() ? Severity.WARNING : Severity.CRITICAL,
          "error starts in " + s.serviceName() + " " + s.operationName()
              + (up.isEmpty() ? "" : " and propagates to " + String.join(", ", up))));
    }
    String rootService = a.metrics().rootService();
    String rootOperation = a.metrics().rootOperation();
    out = orphans(out, t, a.hierarchy().orphans().size(), rootService, rootOperation);
    if (!a.hierarchy().cycleBreaks().isEmpty()) {
      out.add(new TraceAnomaly(t.traceId, TraceAnomalyKind.CYCLE, a.hierarchy().cycleBreaks().get(0), rootService,
          rootOperation, a.hierarchy().cycleBreaks().size(), 0, Severity.WARNING, "parent links form a loop"));
    }
    for (SpanData s : a.spansById().values()) {
      out = slowSpan(out, t, s);
    }
    return slowTrace(out, t, rootService, rootOperation, a.metrics().durationNanos());
  }

  /**
   * {@link #judge(StoredTrace, TraceAnalysis)} from the {@link TraceShape} facts of a trace
   * without failed spans or loops (so without error origins and cycle breaks): the same
   * anomalies in the same order; null when there are none.
   */
  List<TraceAnomaly> judge(StoredTrace t, TraceShape shape) {
    String rootService = shape.mainRoot.serviceName();
    String rootOperation = shape.mainRoot.operationName();
    List<TraceAnomaly> out = orphans(null, t, shape.orphans, rootService, rootOperation);
    for (int i = 0, n = t.spans.size(); i < n; i++) {
      out = slowSpan(out, t, t.spans.get(i));
    }
    return slowTrace(out, t, rootService, rootOperation, shape.durationNanos);
  }

  private static List<TraceAnomaly> orphans(List<TraceAnomaly> out, StoredTrace t, int orphans, String rootService, String rootOperation) {
    if (orphans == 0) {
      return out;
    }
    return add(out, new TraceAnomaly(t.traceId, TraceAnomalyKind.ORPHAN_SPANS, null, rootService, rootOperation,
        orphans, 0, Severity.INFO, orphans + " spans with unknown parents"));
  }

  private List<TraceAnomaly> slowSpan(List<TraceAnomaly> out, StoredTrace t, SpanData s) {
    long slow = slowSpanNanos;
    if (s.durationNanos() < slow) {
      return out;
    }
    return add(out, new TraceAnomaly(t.traceId, TraceAnomalyKind.SLOW_SPAN, s.spanId(), s.serviceName(), s.operationName(),
        s.durationNanos() / 1e6, slow / 1e6, Severity.WARNING, "span took " + s.durationNanos() / 1_000_000 + " ms"));
  }

  /** Feeds the root operation's baseline once per trace; a SLOW_TRACE when it judges the duration high. */
  private List<TraceAnomaly> slowTrace(List<TraceAnomaly> out, StoredTrace t, String rootService, String rootOperation, long durationNanos) {
    if (t.baselineFed || rootService == null) {
      return out;
    }
    t.baselineFed = true;
    RobustBaseline b = baseline(rootService, rootOperation);
    double ms = durationNanos / 1e6;
    RobustBaseline.Verdict v = b == null ? null : b.observe(ms);
    if (v == null || v.score() <= 0) {
      return out;
    }
    return add(out, new TraceAnomaly(t.traceId, TraceAnomalyKind.SLOW_TRACE, null, rootService, rootOperation,
        ms, v.expectedHigh(), v.severityScore() >= 0.5 ? Severity.CRITICAL : Severity.WARNING,
        "trace took " + Math.round(ms) + " ms, expected at most " + Math.round(v.expectedHigh()) + " ms"));
  }

  /** The baseline of one root operation, created while fewer than {@link #MAX_BASELINES} exist; else null. */
  private RobustBaseline baseline(String rootService, String rootOperation) {
    if (rootService == lastService && rootOperation == lastOperation && lastBaseline != null) {
      return lastBaseline;
    }
    RobustBaseline b = lookUpBaseline(rootService, rootOperation);
    lastService = rootService;
    lastOperation = rootOperation;
    lastBaseline = b;
    return b;
  }

  private RobustBaseline lookUpBaseline(String rootService, String rootOperation) {
    Map<String, RobustBaseline> byOperation = baselines.get(rootService);
    RobustBaseline b = byOperation == null ? null : byOperation.get(rootOperation);
    if (b == null && baselineCount < MAX_BASELINES) {
      b = baselineConfig.newBaseline();
      baselines.computeIfAbsent(rootService, k -> new HashMap<>()).put(rootOperation, b);
      baselineCount++;
    }
    return b;
  }

  private static List<TraceAnomaly> add(List<TraceAnomaly> out, TraceAnomaly a) {
    List<TraceAnomaly> list = out == null ? new ArrayList<>() : out;
    list.add(a);
    return list;
  }

  /** The baseline parameters shared with metric series. */
  private static final class MetricsConfigView {
    private final int window;
    private final int warmup;
    private final double threshold;
    private final int confirm;

    MetricsConfigView(ObservabilityConfig c) {
      this.window = c.metrics().anomalyWindow();
      this.warmup = c.metrics().anomalyWarmup();
      this.threshold = c.metrics().anomalyThreshold();
      this.confirm = c.metrics().levelShiftConfirm();
    }

    RobustBaseline newBaseline() {
      return new RobustBaseline(window, warmup, threshold, confirm);
    }
  }
}
