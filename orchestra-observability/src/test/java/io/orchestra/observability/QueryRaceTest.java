package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvaluation;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.correlation.CorrelationResult;
import io.orchestra.observability.correlation.RequestCorrelation;
import io.orchestra.observability.correlation.ServiceCorrelation;
import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.dashboard.TopIssue;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.metrics.Rollup;
import io.orchestra.observability.testing.Race;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every public query of the engine, asked by three threads while eight threads record spans,
 * counters, timers, access logs, log batches, metric batches and whole traces, and one thread
 * advances the virtual clock (which runs the collection and alert ticks: harvest, completion,
 * purges, idle expiry, alert evaluation) and flushes. Each answer is checked for what must hold
 * in any single state of the engine.
 */
class QueryRaceTest {
  private static final int WRITERS = 8;
  private static final int QUERIERS = 3;
  private static final int MAX_WRITES = 200_000;
  private static final int QUERIES = 150;
  private static final int CHEAP_QUERIES = 1_000;
  private static final int TICKS = 2_000;
  private static final String SVC = "payments";

  /** A query and the invariants of its answer. */
  private interface Query {
    void ask(ObservabilityEngine engine, VirtualTime time);
  }

  private static ObservabilityConfig config() {
    return ObservabilityConfig.builder()
        .maxTrackedServices(50)
        .metrics(MetricsConfig.builder().collectionInterval(Duration.ofSeconds(1)).seriesIdleTimeout(Duration.ofSeconds(3))
            .aggregationLevels(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10))).retention(Duration.ofMinutes(2)).build())
        .tracing(TracingConfig.builder().samplingRate(1.0).maxStoredTraces(64).spanBufferSize(64)
            .completionDelay(Duration.ofMillis(500)).traceRetention(Duration.ofSeconds(5)).build())
        .logging(LoggingConfig.builder().maxStoredLogs(256).logRetention(Duration.ofSeconds(5)).build())
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).evaluationInterval(Duration.ofSeconds(1))
            .alertRetention(Duration.ofSeconds(20)).maxHistory(50).maxActiveAlerts(20).build())
        .build();
  }

  /** One writer's work: thread number, then until {@code asking} reaches zero. */
  private interface Writer {
    void write(ObservabilityEngine engine, VirtualTime time, int thread, CountDownLatch asking);
  }

  private static void race(Query query) throws Exception {
    race(QueryRaceTest::write, QUERIES, query);
  }

  /** Cheap queries: more of them, so that they overlap the writers for longer. */
  private static void raceCheap(Query query) throws Exception {
    race(QueryRaceTest::write, CHEAP_QUERIES, query);
  }

  private static void race(Writer writer, int queries, Query query) throws Exception {
    VirtualTime time = Engines.time();
    AlertRule errors = AlertRule.metric("errors", SVC, "errors").aggregation(Aggregation.LAST).above(50)
        .window(Duration.ofSeconds(2)).build();
    AlertRule logErrors = AlertRule.logs("log-errors", "*").logLevel(LogLevel.ERROR).above(3).window(Duration.ofSeconds(1)).build();
    try (ObservabilityEngine engine = Engines.on(time, config()).alertRule(errors).alertRule(logErrors)
        .notifier("test", n -> CompletableFuture.completedFuture(null)).build()) {
      // Writers keep going (up to a bound) until every query thread is done, so all queries overlap them.
      CountDownLatch asking = new CountDownLatch(QUERIERS);
      Race.run(WRITERS + QUERIERS + 1, thread -> {
        if (thread < WRITERS) {
          writer.write(engine, time, thread, asking);
        } else if (thread < WRITERS + QUERIERS) {
          try {
            for (int i = 0; i < queries; i++) {
              query.ask(engine, time);
            }
          } finally {
            asking.countDown();
          }
        } else {
          for (int i = 0; i < TICKS && asking.getCount() > 0; i++) {
            time.advance(Duration.ofMillis(100));
            if (i % 10 == 0) {
              engine.flush();
            }
          }
        }
      });
      query.ask(engine, time);
      assertThat(engine.badInput().count("engine", "collection_failed")).isZero();
      assertThat(engine.badInput().count("engine", "alert_evaluation_failed")).isZero();
    }
  }

  private static void write(ObservabilityEngine engine, VirtualTime time, int thread, CountDownLatch asking) {
    RandomSource random = RandomSource.seeded(thread);
    TelemetrySink.Counter calls = engine.counter("orchestra.test.calls", Tags.of("service", "api", "shard", "s" + thread % 3));
    TelemetrySink.Timer latency = engine.timer("orchestra.test.latency", Tags.of("service", "api"));
    for (int i = 0; i < MAX_WRITES && asking.getCount() > 0; i++) {
      calls.increment();
      latency.record(1_000_000L + i);
      long nowNanos = time.millis() * 1_000_000L;
      TraceContext root = TraceContext.newRoot(random, true);
      TelemetrySink.Span parent = engine.startSpan("handle", TelemetrySink.SpanKind.SERVER, root, 0, nowNanos);
      TraceContext child = root.newChild(random);
      engine.startSpan("query", TelemetrySink.SpanKind.CLIENT, child, root.spanId(), nowNanos + 1_000).end(nowNanos + 2_000);
      parent.end(nowNanos + 5_000);
      boolean failed = i % 5 != 0;
      // Every request fails: the dashboard's error count equals its request count, and any read
      // of the failures that saw more than the read of all requests shows.
      engine.accessLog(new AccessLogRecord(time.millis(), null, "gateway", SVC, "p-" + thread, "POST", "/charge",
          503, 2_000_000L + i, null, null));
      if (i % 10 == thread % 10) {
        engine.collectServiceMetrics(SVC, Map.of("errors", (i / 10) % 2 == 0 ? 100 : 1, "cpu_usage", 0.5, "latency_ms", 20.0 + i % 7));
      }
      if (i % 10 == (thread + 5) % 10) {
        String trace = Spans.trace(thread * 10_000 + i);
        long ms = time.millis() - Spans.BASE / 1_000_000;
        engine.processServiceLogs(SVC, List.of(
            "{\"level\":\"ERROR\",\"message\":\"charge failed 42\",\"trace_id\":\"" + trace + "\"}",
            "{\"level\":\"INFO\",\"message\":\"retrying\",\"trace_id\":\"" + trace + "\"}"));
        engine.collectDistributedTrace(new TraceData(trace, List.of(
            Spans.span(trace, Spans.id16(0), null, "gateway", "POST /charge", ms, ms + 30, failed),
            Spans.client(trace, Spans.id16(1), Spans.id16(0), "gateway", SVC, ms + 1, ms + 29, failed),
            Spans.span(trace, Spans.id16(2), Spans.id16(1), SVC, "charge", ms + 2, ms + 28, failed))));
      }
      if (i % 50 == thread) {
        engine.collectServiceMetrics("svc-" + thread + "-" + i, Map.of("errors", 1)); // a new tracked service
      }
    }
  }

  private static TimeWindow recent(VirtualTime time) {
    return new TimeWindow(time.millis() - 3_000, time.millis() + 1);
  }

  @Test
  @DisplayName("generateServiceHealthDashboard: errors never exceed requests, and a known flag agrees with the document")
  void dashboard() throws Exception {
    race((engine, time) -> {
      ServiceHealthDashboard d = engine.generateServiceHealthDashboard(SVC, recent(time));
      Kpis k = d.kpis();
      assertThat(k.errorCount()).isBetween(0L, k.requestCount());
      assertThat(k.errorRate()).isBetween(0.0, 1.0);
      assertThat(d.healthScore()).isBetween(0.0, 1.0);
      assertThat(k.overallHealth()).isEqualTo(d.healthScore());
      if (!d.known()) {
        assertThat(d.trends()).isEmpty();
        assertThat(d.topIssues()).isEmpty();
        assertThat(d.dependencies()).isEmpty();
        assertThat(k.requestCount()).isZero();
      }
      for (TopIssue i : d.topIssues()) {
        assertThat(i.count()).isPositive();
        assertThat(i.exemplarTraceIds().size()).isLessThanOrEqualTo((int) Math.min(5, i.count()));
      }
      d.trends().forEach(t -> assertThat(t.points()).isNotEmpty());
      d.dependencies().forEach(QueryRaceTest::checkEdge);
    });
  }

  @Test
  @DisplayName("generateServiceHealthDashboard: failed requests are read with all requests, never more of them")
  void dashboardKpis() throws Exception {
    Writer failures = (engine, time, thread, asking) -> {
      for (int i = 0; i < MAX_WRITES && asking.getCount() > 0; i++) {
        engine.accessLog(new AccessLogRecord(time.millis(), null, "gateway", SVC, "p-" + thread, "POST", "/charge",
            503, 2_000_000L + i, null, null));
      }
    };
    race(failures, QUERIES, (engine, time) -> {
      Kpis k = engine.generateServiceHealthDashboard(SVC, recent(time)).kpis();
      assertThat(k.errorCount()).isBetween(0L, k.requestCount());
      assertThat(k.errorRate()).isBetween(0.0, 1.0);
    });
  }

  @Test
  @DisplayName("generateServiceHealthDashboard: a dashboard that shows a service's data says it is known")
  void dashboardKnown() throws Exception {
    // Each trace comes from a service never seen before; the queries ask for the next one.
    AtomicInteger next = new AtomicInteger();
    Writer newServices = (engine, time, thread, asking) -> {
      for (int i = 0; i < MAX_WRITES && asking.getCount() > 0; i++) {
        int n = next.getAndIncrement();
        String trace = Spans.trace(n);
        long ms = time.millis() - Spans.BASE / 1_000_000;
        engine.collectDistributedTrace(new TraceData(trace, List.of(
            Spans.span(trace, Spans.id16(0), null, "fresh-" + n, "charge", ms, ms + 5, true))));
      }
    };
    race(newServices, 60, (engine, time) -> {
      ServiceHealthDashboard d = engine.generateServiceHealthDashboard("fresh-" + (next.get() + 1), recent(time));
      if (!d.known()) {
        assertThat(d.topIssues()).isEmpty();
        assertThat(d.kpis().requestCount()).isZero();
      }
    });
  }

  @Test
  @DisplayName("correlateObservabilityData: per-service and per-request counts add up")
  void correlation() throws Exception {
    race((engine, time) -> {
      CorrelationResult c = engine.correlateObservabilityData(recent(time));
      assertThat(c.requestCorrelations().size()).isLessThanOrEqualTo(c.requestCount());
      for (ServiceCorrelation s : c.serviceCorrelations()) {
        assertThat(s.errorSpanCount()).isBetween(0, s.spanCount());
        assertThat(s.slowSpanCount()).isBetween(0, s.spanCount());
        assertThat(s.errorLogCount()).isBetween(0, s.logCount());
        assertThat(s.healthScore()).isBetween(0.0, 1.0);
      }
      for (RequestCorrelation r : c.requestCorrelations()) {
        assertThat(r.errorSpans()).isBetween(0, r.spanCount());
        assertThat(r.errorLogs()).isBetween(0, r.logCount());
      }
      c.dependencies().forEach(QueryRaceTest::checkEdge);
      c.crossServiceIssues().forEach(x -> assertThat(x.confidence()).isBetween(0.0, 1.0));
    });
  }

  @Test
  @DisplayName("dependencyGraph: each edge's errors are among its calls, edges sorted and distinct")
  void dependencies() throws Exception {
    raceCheap((engine, time) -> {
      List<DependencyEdge> edges = engine.dependencyGraph(recent(time));
      edges.forEach(QueryRaceTest::checkEdge);
      assertThat(edges).extracting(e -> e.caller() + "->" + e.callee()).doesNotHaveDuplicates().isSorted();
    });
  }

  @Test
  @DisplayName("alerts: an alert fires after it became active and resolves after it fired; history is in resolution order")
  void alerts() throws Exception {
    race((engine, time) -> {
      AlertEvaluation e = engine.evaluateAlertRules();
      List<Alert> seen = new ArrayList<>(e.transitions());
      seen.addAll(e.active());
      assertThat(e.active()).allSatisfy(a -> assertThat(a.state()).isNotEqualTo(AlertState.RESOLVED));
      List<Alert> active = engine.activeAlerts();
      assertThat(active).allSatisfy(a -> assertThat(a.state()).isNotEqualTo(AlertState.RESOLVED));
      assertThat(active).extracting(Alert::fingerprint).doesNotHaveDuplicates();
      List<Alert> history = engine.alertHistory();
      assertThat(history).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.RESOLVED));
      assertThat(history).extracting(Alert::resolvedAtEpochMillis).isSorted();
      seen.addAll(active);
      seen.addAll(history);
      seen.addAll(engine.evaluateAlertRules(SVC).transitions());
      for (Alert a : seen) {
        if (a.state() != AlertState.PENDING) {
          assertThat(a.firedAtEpochMillis()).as("fired of %s", a).isGreaterThanOrEqualTo(a.activeSinceEpochMillis());
        }
        if (a.state() == AlertState.RESOLVED) {
          assertThat(a.resolvedAtEpochMillis()).as("resolved of %s", a).isGreaterThanOrEqualTo(a.firedAtEpochMillis());
        }
      }
    });
  }

  @Test
  @DisplayName("alerts: an evaluation that read the clock before a later one never resolves an alert before it fired")
  void alertsWithStaleClockReads() throws Exception {
    // Metric batches flip the rule's value on every call; each batch's own evaluation runs at the
    // time read when the batch came in, which the clock thread and the alert tick may have passed.
    Writer flipping = (engine, time, thread, asking) -> {
      for (int i = 0; i < MAX_WRITES && asking.getCount() > 0; i++) {
        engine.collectServiceMetrics(SVC, Map.of("errors", i % 2 == 0 ? 100 : 1));
      }
    };
    race(flipping, QUERIES, (engine, time) -> {
      List<Alert> seen = new ArrayList<>(engine.evaluateAlertRules().transitions());
      List<Alert> history = engine.alertHistory();
      assertThat(history).extracting(Alert::resolvedAtEpochMillis).isSorted();
      seen.addAll(history);
      seen.addAll(engine.activeAlerts());
      for (Alert a : seen) {
        if (a.state() == AlertState.RESOLVED) {
          assertThat(a.resolvedAtEpochMillis()).as("resolved of %s", a).isGreaterThanOrEqualTo(a.firedAtEpochMillis());
        }
      }
    });
  }

  @Test
  @DisplayName("recentAnomalies: oldest first while metric batches are judged on many threads")
  void recentAnomaliesInOrder() throws Exception {
    Writer spiking = (engine, time, thread, asking) -> {
      for (int i = 0; i < MAX_WRITES && asking.getCount() > 0; i++) {
        engine.collectServiceMetrics(SVC, Map.of("queue_depth", i % 20 == 19 ? 10_000 : 10 + i % 3));
      }
    };
    race(spiking, CHEAP_QUERIES, (engine, time) -> {
      List<io.orchestra.observability.metrics.Anomaly> recent = engine.recentAnomalies();
      assertThat(recent.size()).isLessThanOrEqualTo(RecentAnomalies.MAX);
      assertThat(recent).extracting(io.orchestra.observability.metrics.Anomaly::detectedAtEpochMillis).isSorted();
    });
  }

  @Test
  @DisplayName("rollups, seriesCount, distinctTagValues: windows in order with consistent statistics")
  void metrics() throws Exception {
    raceCheap((engine, time) -> {
      TimeWindow w = recent(time);
      for (int level = 0; level < 2; level++) {
        List<Rollup> calls = engine.rollups("api", "orchestra.test.calls", Map.of(), level, w);
        List<Rollup> latency = engine.rollups("api", "orchestra.test.latency", Map.of(), level, w);
        List<Rollup> collected = engine.rollups(SVC, "latency_ms", Map.of(), level, w);
        for (List<Rollup> rs : List.of(calls, latency, collected)) {
          assertThat(rs).extracting(Rollup::startEpochMillis).isSorted();
          for (Rollup r : rs) {
            assertThat(r.count()).isPositive();
            assertThat(r.min()).isLessThanOrEqualTo(r.max());
          }
        }
        for (Rollup r : latency) {
          assertThat(r.p50()).isBetween(r.min() * 0.98, r.max() * 1.02);
        }
      }
      assertThat(engine.seriesCount()).isNotNegative();
      assertThat(engine.distinctTagValues("orchestra.test.calls", "shard")).isBetween(0, 3);
    });
  }

  @Test
  @DisplayName("logsForTrace, recentAnomalies, recentTraceAnomalies, services, badInput: copies that hold together")
  void smallQueries() throws Exception {
    raceCheap((engine, time) -> {
      String trace = Spans.trace((int) (time.millis() % WRITERS) * 10_000 + (int) (time.millis() % 1_000));
      assertThat(engine.logsForTrace(trace)).allSatisfy(l -> assertThat(l.traceId()).isEqualTo(trace));
      assertThat(engine.recentAnomalies().size()).isLessThanOrEqualTo(RecentAnomalies.MAX);
      assertThat(engine.recentTraceAnomalies().size()).isLessThanOrEqualTo(1_000);
      assertThat(engine.services().size()).isLessThanOrEqualTo(50);
      var bad = engine.badInput();
      assertThat(bad.total()).isEqualTo(bad.counts().values().stream().mapToLong(Long::longValue).sum());
      assertThat(engine.sampler().sample(trace)).isTrue();
    });
  }

  @Test
  @DisplayName("collectDistributedTrace: a complete trace's answer holds all its spans, with no orphans")
  void collectedTraceAnswer() throws Exception {
    raceCheap((engine, time) -> {
      String trace = Spans.trace(1_000_000 + (int) (time.read() % 1_000_000));
      long ms = time.millis() - Spans.BASE / 1_000_000;
      List<SpanData> spans = List.of(
          Spans.span(trace, Spans.id16(0), null, "gateway", "GET /", ms, ms + 10, false),
          Spans.client(trace, Spans.id16(1), Spans.id16(0), "gateway", SVC, ms + 1, ms + 9, false),
          Spans.span(trace, Spans.id16(2), Spans.id16(1), SVC, "get", ms + 2, ms + 8, false));
      TraceResult r = engine.collectDistributedTrace(new TraceData(trace, spans));
      assertThat(r.success()).isTrue();
      if (r.metrics() != null) {
        assertThat(r.hierarchy().orphans()).isEmpty();
        assertThat(r.metrics().spanCount()).isGreaterThanOrEqualTo(r.acceptedSpans());
      }
    });
  }

  private static void checkEdge(DependencyEdge e) {
    assertThat(e.errors()).isBetween(0L, e.calls());
    assertThat(e.calls()).isPositive();
    assertThat(e.errorRate()).isBetween(0.0, 1.0);
  }
}
