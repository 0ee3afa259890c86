package io.orchestra.observability;

import static io.orchestra.observability.Spans.id16;
import static io.orchestra.observability.Spans.span;
import static io.orchestra.observability.Spans.trace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.core.testing.LoopbackHttpServer;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvaluation;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.traces.TraceData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AlertTest {
  private static ObservabilityConfig config() {
    return Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).evaluationInterval(Duration.ofMinutes(10)).build())
        .build();
  }

  @Test
  void pendingThenFiringThenResolvedWithOneNotificationPerTransition() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule rule = AlertRule.metric("high-latency", "orders", "http_request_duration_ms")
        .aggregation(Aggregation.MAX).above(500).window(Duration.ofMinutes(1)).forDuration(Duration.ofMinutes(2))
        .severity(Severity.CRITICAL).message("orders is slow").build();
    try (ObservabilityEngine engine = Engines.on(time, config()).alertRule(rule)
        .notifier("test", n -> { sent.add(n); return CompletableFuture.completedFuture(null); }).build()) {
      engine.collectServiceMetrics("orders", Map.of("http_request_duration_ms", 900));
      assertThat(engine.activeAlerts()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.PENDING));
      time.advance(Duration.ofSeconds(50));
      engine.collectServiceMetrics("orders", Map.of("http_request_duration_ms", 950));
      assertThat(engine.activeAlerts().get(0).state()).isEqualTo(AlertState.PENDING);
      assertThat(sent).isEmpty();
      time.advance(Duration.ofSeconds(75));
      engine.collectServiceMetrics("orders", Map.of("http_request_duration_ms", 990));
      Alert firing = engine.activeAlerts().get(0);
      assertThat(firing.state()).isEqualTo(AlertState.FIRING);
      assertThat(firing.value()).isEqualTo(990);
      assertThat(firing.firedAtEpochMillis()).isEqualTo(time.millis());
      assertThat(sent).singleElement().satisfies(n -> assertThat(n.status()).isEqualTo("firing"));
      // Still breaching: no duplicate notification.
      time.advance(Duration.ofSeconds(20));
      engine.collectServiceMetrics("orders", Map.of("http_request_duration_ms", 800));
      assertThat(engine.evaluateAlertRules().transitions()).isEmpty();
      assertThat(sent).hasSize(1);
      // Two quiet minutes: the window no longer holds a breaching value.
      time.advance(Duration.ofMinutes(2));
      engine.collectServiceMetrics("orders", Map.of("http_request_duration_ms", 100));
      assertThat(engine.activeAlerts()).isEmpty();
      assertThat(engine.alertHistory()).singleElement().satisfies(a -> {
        assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(a.resolvedAtEpochMillis()).isEqualTo(time.millis());
      });
      assertThat(sent).hasSize(2);
      assertThat(sent.get(1).status()).isEqualTo("resolved");
      // History is kept for the alert retention only.
      time.advance(Duration.ofHours(25));
      assertThat(engine.alertHistory()).isEmpty();
    }
  }

  @Test
  void pendingThatClearsNeverNotifiesAndKeepFiringRidesOutFlapping() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule rule = AlertRule.metric("queue", "orders", "queue_depth").aggregation(Aggregation.LAST).above(100)
        .window(Duration.ofSeconds(30)).keepFiringFor(Duration.ofMinutes(3)).build();
    AlertRule pending = AlertRule.metric("never", "orders", "queue_depth").aggregation(Aggregation.LAST).above(100)
        .window(Duration.ofSeconds(30)).forDuration(Duration.ofHours(1)).build();
    try (ObservabilityEngine engine = Engines.on(time, config()).alertRule(rule).alertRule(pending)
        .notifier("test", n -> { sent.add(n); return CompletableFuture.completedFuture(null); }).build()) {
      for (int i = 0; i < 8; i++) { // flaps every 40 s
        engine.collectServiceMetrics("orders", Map.of("queue_depth", i % 2 == 0 ? 500 : 5));
        time.advance(Duration.ofSeconds(40));
      }
      assertThat(engine.evaluateAlertRules().active()).extracting(Alert::ruleId).containsExactly("queue");
      assertThat(sent).hasSize(1);
      time.advance(Duration.ofMinutes(4));
      AlertEvaluation e = engine.evaluateAlertRules();
      assertThat(e.transitions()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.RESOLVED));
      assertThat(sent).hasSize(2);
      assertThat(engine.alertHistory()).extracting(Alert::ruleId).containsExactly("queue");
    }
  }

  @Test
  void logRuleFiresWithEvidenceAndAlertsOfOneGroupShareANotification() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule errors = AlertRule.logs("payment-errors", "*").logLevel(LogLevel.ERROR).above(2).window(Duration.ofMinutes(5))
        .severity(Severity.CRITICAL).build();
    AlertRule timeouts = AlertRule.logs("payment-timeouts", "payments").logContains("timeout").above(0).window(Duration.ofMinutes(5))
        .severity(Severity.CRITICAL).build();
    try (ObservabilityEngine engine = Engines.on(time, config()).alertRule(errors).alertRule(timeouts)
        .notifier("test", n -> { sent.add(n); return CompletableFuture.completedFuture(null); }).build()) {
      for (int i = 0; i < 5; i++) {
        String t = trace(i);
        engine.collectDistributedTrace(new TraceData(t, List.of(
            span(t, id16(1), null, "checkout", "pay", 0, 100, true),
            span(t, id16(2), id16(1), "payments", "charge", 10, 90, true))));
        engine.processServiceLogs("checkout", List.of("level=info msg=\"calling payments\" trace_id=" + t));
      }
      engine.processServiceLogs("payments", List.of(
          "level=error msg=\"timeout talking to bank, card 4111111111111111\" trace_id=" + trace(0),
          "level=error msg=\"timeout talking to bank\" trace_id=" + trace(1),
          "level=error msg=\"timeout talking to bank\" trace_id=" + trace(2)));
      assertThat(engine.activeAlerts()).extracting(Alert::ruleId).containsExactlyInAnyOrder("payment-errors", "payment-timeouts");
      assertThat(sent).singleElement().satisfies(n -> {
        assertThat(n.alerts()).hasSize(2);
        assertThat(n.groupLabels()).containsEntry("service", "payments").containsEntry("severity", "CRITICAL");
      });
      Alert a = engine.activeAlerts().get(0);
      assertThat(a.evidence().exemplarTraceIds()).startsWith(trace(0), trace(1), trace(2)).hasSize(5); // matching lines first, then failed traces
      assertThat(a.evidence().logLines()).extracting(l -> l.service()).contains("payments", "checkout");
      assertThat(a.evidence().logLines().toString()).doesNotContain("4111111111111111");
      assertThat(a.evidence().dependencyEdges()).singleElement().satisfies(e -> {
        assertThat(e.caller()).isEqualTo("checkout");
        assertThat(e.callee()).isEqualTo("payments");
        assertThat(e.errors()).isEqualTo(5);
      });
    }
  }

  @Test
  void failedDeliveriesAndUnboundChannelsAreCountedNotThrown() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("ok", "failing", "throwing", "unbound")).build())
        .build();
    List<AlertNotification> delivered = new CopyOnWriteArrayList<>();
    try (ObservabilityEngine engine = Engines.on(time, config)
        .notifier("ok", n -> { delivered.add(n); return CompletableFuture.completedFuture(null); })
        .notifier("failing", n -> CompletableFuture.failedFuture(new IllegalStateException("smtp down")))
        .notifier("throwing", n -> { throw new IllegalStateException("bug in notifier"); })
        .alertRule(AlertRule.metric("cpu", "orders", "cpu_usage").above(0.9).window(Duration.ofMinutes(1)).build())
        .build()) {
      engine.collectServiceMetrics("orders", Map.of("cpu_usage", 0.97));
      assertThat(engine.activeAlerts()).extracting(Alert::state).containsExactly(AlertState.FIRING);
      assertThat(delivered).hasSize(1);
      assertThat(engine.badInput().count("alert", "notification_failed")).isEqualTo(2);
      assertThat(engine.badInput().count("alert", "unbound_channel")).isEqualTo(1);
    }
  }

  @Test
  void webhookNotifierPostsJsonThroughTheCoreTransport() throws Exception {
    VirtualTime time = Engines.time();
    LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    HttpTransport transport = HttpTransport.create();
    try (LoopbackHttpServer server = LoopbackHttpServer.http()
            .route("/alerts", ex -> {
              bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + "|" + ex.getRequestHeaders().getFirst("content-type"));
              LoopbackHttpServer.send(ex, 202, "");
            })
            .start();
        ObservabilityEngine engine = Engines.on(time, Engines.allSampled().toBuilder()
                .alerting(AlertingConfig.builder().notificationChannels(List.of("webhook", "log")).build()).build())
            .transport(transport).webhook(server.endpoint(), "/alerts")
            .notifier("log", new io.orchestra.observability.alerts.Slf4jNotifier())
            .alertRule(AlertRule.metric("cpu", "orders", "cpu_usage").above(0.9).window(Duration.ofMinutes(1)).message("cpu hot").build())
            .build()) {
      engine.collectServiceMetrics("orders", Map.of("cpu_usage", 0.97));
      // A real POST over loopback, maybe the JVM's first HttpClient: a bound for a loaded host.
      String posted = bodies.poll(60, TimeUnit.SECONDS);
      assertThat(posted).isNotNull().endsWith("|application/json");
      JsonNode n = new ObjectMapper().readTree(posted.substring(0, posted.lastIndexOf('|')));
      assertThat(n.get("status").asText()).isEqualTo("firing");
      assertThat(n.get("alerts").get(0).get("ruleId").asText()).isEqualTo("cpu");
      assertThat(n.get("alerts").get(0).get("message").asText()).isEqualTo("cpu hot");
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }
}
