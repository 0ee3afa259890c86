package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.metrics.MetricsResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code maxTrackedServices}: the engine remembers a bounded number of service names. */
class TrackedServicesBoundTest {
  private static ObservabilityConfig bound(int max) {
    return Engines.allSampled().toBuilder().maxTrackedServices(max).build();
  }

  @Test
  void eightThreadsSendingDistinctServicesNeverGrowPastTheBound() throws Exception {
    int threads = 8;
    int perThread = 100;
    int max = 250;
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, bound(max)).build()) {
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            engine.collectServiceMetrics("svc-" + thread + "-" + i, Map.of("cpu_usage", 0.5));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(engine.services()).hasSize(max);
      assertThat(engine.badInput().count("service", "tracking_overflow")).isEqualTo((long) threads * perThread - max);
    }
  }

  @Test
  void servicesPastTheBoundKeepTheirDataAndKnownServicesKeepWorking() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ObservabilityEngine engine = Engines.on(time, bound(2)).meterRegistry(registry).build()) {
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.1));
      engine.processServiceLogs("b", List.of("{\"level\":\"info\",\"message\":\"up\"}"));
      MetricsResult c = engine.collectServiceMetrics("c", Map.of("cpu_usage", 0.3));
      engine.accessLog(new AccessLogRecord(time.millis(), null, "a", "d", null, "GET", "/", 200, 1_000_000, null, null));

      // c's metrics were accepted and stored although c is not tracked.
      assertThat(c.accepted()).hasSize(1);
      assertThat(engine.rollups("c", "cpu_usage", Map.of(), 0, TimeWindow.last(Duration.ofMinutes(1), time))).isNotEmpty();
      // Known services keep working past the bound and are never counted as refusals.
      time.advance(Duration.ofSeconds(1));
      assertThat(engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.2)).accepted()).hasSize(1);
      engine.processServiceLogs("b", List.of("{\"level\":\"info\",\"message\":\"still up\"}"));
      assertThat(engine.services()).containsExactly("a", "b");
      assertThat(engine.badInput().count("service", "tracking_overflow")).isEqualTo(2);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "service").tag("reason", "tracking_overflow")
          .counter().count()).isEqualTo(2);
      // An untracked service's dashboard is still built from its stored data, and is not unknown.
      assertThat(engine.generateServiceHealthDashboard("c", Duration.ofMinutes(5)).known()).isTrue();
      assertThat(engine.generateServiceHealthDashboard("nobody", Duration.ofMinutes(5)).known()).isFalse();
      assertThat(engine.badInput().count("service", "unknown")).isEqualTo(1);
    }
  }

  @Test
  void anAlertRaisedByAnUntrackedServiceFiresAndResolvesOnThePeriodicSweep() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = bound(1).toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of()).evaluationInterval(Duration.ofMinutes(1)).build())
        .build();
    AlertRule errors = AlertRule.logs("errors", AlertRule.ANY_SERVICE).logLevel(LogLevel.ERROR).above(0)
        .window(Duration.ofMinutes(10)).forDuration(Duration.ofMinutes(2)).build();
    try (ObservabilityEngine engine = Engines.on(time, config).alertRule(errors).build()) {
      engine.processServiceLogs("tracked", List.of("{\"level\":\"info\",\"message\":\"fine\"}"));
      engine.processServiceLogs("untracked", List.of("{\"level\":\"error\",\"message\":\"boom\"}"));
      assertThat(engine.services()).containsExactly("tracked");
      assertThat(engine.activeAlerts()).singleElement().satisfies(a -> {
        assertThat(a.serviceName()).isEqualTo("untracked");
        assertThat(a.state()).isEqualTo(AlertState.PENDING);
      });
      // No more data from "untracked": only the periodic sweep can move its alert on.
      time.advance(Duration.ofMinutes(3));
      assertThat(engine.activeAlerts()).singleElement()
          .satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING));
      time.advance(Duration.ofMinutes(10));
      assertThat(engine.activeAlerts()).isEmpty();
      assertThat(engine.alertHistory()).singleElement().satisfies(a -> {
        assertThat(a.serviceName()).isEqualTo("untracked");
        assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
      });
    }
  }
}
