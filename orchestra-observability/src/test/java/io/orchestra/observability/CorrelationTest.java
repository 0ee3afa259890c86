package io.orchestra.observability;

import static io.orchestra.observability.Spans.client;
import static io.orchestra.observability.Spans.id16;
import static io.orchestra.observability.Spans.span;
import static io.orchestra.observability.Spans.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.correlation.CorrelationResult;
import io.orchestra.observability.correlation.CrossServiceIssue;
import io.orchestra.observability.correlation.ServiceCorrelation;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.dashboard.TopIssue;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.TraceData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  /**
   * gateway -> checkout -> payments -> ledger; ledger is healthy, payments fails on every third
   * request and the failure propagates to checkout and gateway. Logs of payments carry the trace
   * ids.
   */
  private static ObservabilityEngine failingDownstream(VirtualTime time) {
    ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build();
    for (int i = 0; i < 30; i++) {
      boolean fail = i % 3 == 0;
      String t = trace(i);
      long base = 1_000L * i;
      engine.collectDistributedTrace(new TraceData(t, List.of(
          span(t, id16(1), null, "gateway", "POST /orders", base, base + 400, fail),
          span(t, id16(2), id16(1), "checkout", "checkout", base + 10, base + 390, fail),
          span(t, id16(3), id16(2), "payments", "charge", base + 20, base + (fail ? 1_300 : 300), fail),
          span(t, id16(4), id16(3), "ledger", "append", base + 30, base + 60, false),
          client(t, id16(5), id16(2), "checkout", "fraud-check", base + 15, base + 18, false))));
      List<String> lines = new ArrayList<>();
      lines.add("level=info msg=\"charging\" trace_id=" + t);
      if (fail) {
        lines.add("level=error msg=\"card processor timeout after 1200 ms\" trace_id=" + t);
      }
      engine.processServiceLogs("payments", lines);
    }
    engine.collectServiceMetrics("payments", Map.of("cpu_usage", 0.95, "payment_errors", 10));
    return engine;
  }

  @Test
  void aFailingDownstreamServiceIsNamedAsTheOriginOfTheErrorsUpstream() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = failingDownstream(time)) {
      CorrelationResult r = engine.correlateObservabilityData(new TimeWindow(time.millis() - 1, time.millis() + 60_000));
      assertThat(r.crossServiceIssues()).singleElement().satisfies((CrossServiceIssue c) -> {
        assertThat(c.originService()).isEqualTo("payments");
        assertThat(c.affectedServices()).containsExactly("checkout", "gateway");
        assertThat(c.traceCount()).isEqualTo(10);
        assertThat(c.confidence()).isEqualTo(1.0);
        assertThat(c.exemplarTraceIds()).isNotEmpty();
      });
      ServiceCorrelation payments = r.service("payments");
      ServiceCorrelation ledger = r.service("ledger");
      assertThat(payments.errorSpanCount()).isEqualTo(10);
      assertThat(payments.errorLogCount()).isEqualTo(10);
      assertThat(payments.issues()).extracting(i -> i.type()).contains("error", "resource");
      assertThat(payments.healthScore()).isLessThan(0.7);
      assertThat(ledger.healthScore()).isEqualTo(1.0);
      assertThat(r.requestCount()).isEqualTo(30);
      assertThat(r.requestCorrelations().get(0).errorOrigin()).isEqualTo("payments");
      assertThat(r.requestCorrelations().get(0).logCount()).isEqualTo(2);
      assertThat(r.requestCorrelations().get(0).services()).containsExactly("checkout", "gateway", "ledger", "payments");
      assertThat(r.dependencies()).extracting(e -> e.caller() + ">" + e.callee())
          .containsExactly("checkout>fraud-check", "checkout>payments", "gateway>checkout", "payments>ledger");
      DependencyEdge edge = r.dependencies().get(1);
      assertThat(edge.calls()).isEqualTo(30);
      assertThat(edge.errors()).isEqualTo(10);
      assertThat(r.insights()).anyMatch(s -> s.startsWith("payments is the likely origin of errors seen in checkout, gateway"));
    }
  }

  /** Access logs sampled at 10 %: each record stands for ten requests, so rates are not 10x low. */
  @Test
  void dashboardKpis_scaleSampledAccessLogs_toAllTraffic() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, Engines.allSampled()).build()) {
      for (int i = 0; i < 20; i++) {
        engine.accessLog(new AccessLogRecord(time.millis(), null, "gateway", "payments", "p-1", "POST", "/charge",
            i % 4 == 0 ? 503 : 200, 5_000_000L, "curl", null, 0.1));
      }
      time.advance(Duration.ofMinutes(2));
      ServiceHealthDashboard d = engine.generateServiceHealthDashboard("payments", Duration.ofMinutes(10));
      assertThat(d.kpis().source()).isEqualTo("access_log");
      assertThat(d.kpis().requestCount()).isEqualTo(200);
      assertThat(d.kpis().errorCount()).isEqualTo(50);
      assertThat(d.kpis().errorRate()).isEqualTo(0.25);
      assertThat(d.kpis().latencyP50Millis()).isBetween(5.0 * 0.99, 5.0 * 1.01);
    }
    assertThatThrownBy(() -> new AccessLogRecord(0, null, null, "payments", null, "GET", "/", 200, 0, null, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accessLog.sampleRate")
        .hasMessageContaining("0.0");
  }

  @Test
  void dashboardIsASerializableDocumentWithKpisTrendsIssuesAndDependencies() throws Exception {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = failingDownstream(time)) {
      for (int i = 0; i < 100; i++) {
        engine.accessLog(new AccessLogRecord(time.millis(), null, "gateway", "payments", "p-1", "POST", "/charge?token=abc12345678",
            i % 10 == 0 ? 503 : 200, (i + 1) * 1_000_000L, "curl", null));
      }
      time.advance(Duration.ofMinutes(2));
      ServiceHealthDashboard d = engine.generateServiceHealthDashboard("payments", Duration.ofMinutes(10));
      assertThat(d.known()).isTrue();
      assertThat(d.kpis().source()).isEqualTo("access_log");
      assertThat(d.kpis().requestCount()).isEqualTo(100);
      assertThat(d.kpis().errorCount()).isEqualTo(10);
      assertThat(d.kpis().errorRate()).isEqualTo(0.1);
      assertThat(d.kpis().latencyP50Millis()).isBetween(49.0 * 0.99, 51.0 * 1.01);
      assertThat(d.kpis().latencyP99Millis()).isBetween(98.0 * 0.99, 100.0 * 1.01);
      assertThat(d.healthScore()).isLessThan(1.0);
      assertThat(d.topIssues()).extracting(TopIssue::kind).contains("error_log", "error_span");
      assertThat(d.topIssues().get(0).count()).isGreaterThanOrEqualTo(10);
      assertThat(d.dependencies()).extracting(e -> e.caller() + ">" + e.callee()).containsExactly("checkout>payments", "payments>ledger");
      assertThat(d.trends()).isNotEmpty().allMatch(t -> !t.points().isEmpty());
      assertThat(d.trends()).extracting(t -> t.levelMillis()).contains(60_000L, 300_000L, 3_600_000L, 86_400_000L);

      ObjectMapper json = new ObjectMapper();
      String text = json.writeValueAsString(d);
      JsonNode tree = json.readTree(text);
      assertThat(tree.get("serviceName").asText()).isEqualTo("payments");
      assertThat(tree.get("kpis").get("requestCount").asLong()).isEqualTo(100);
      assertThat(tree.get("dependencies").size()).isEqualTo(2);
      assertThat(text).doesNotContain("abc12345678");

      ServiceHealthDashboard ledger = engine.generateServiceHealthDashboard("ledger", Duration.ofMinutes(10));
      assertThat(ledger.kpis().source()).isEqualTo("spans");
      assertThat(ledger.kpis().requestCount()).isEqualTo(30);
      assertThat(ledger.kpis().errorRate()).isZero();
    }
  }
}
