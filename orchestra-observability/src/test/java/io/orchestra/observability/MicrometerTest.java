package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Series reach the application's Micrometer registry once each, with normalized names and tags. */
class MicrometerTest {

  @Test
  void collectedAndSinkSeriesAndBadInputArePublishedWithMicrometerNamesAndTags() {
    VirtualTime time = Engines.time();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).meterRegistry(registry).build()) {
      engine.collectServiceMetrics("orders", Map.of("Queue_Depth", 7, "http_requests_total", 100, "http_request_duration_ms", 12.5));
      time.advance(Duration.ofSeconds(15));
      engine.collectServiceMetrics("orders", Map.of("Queue_Depth", 9, "http_requests_total", 130, "http_request_duration_ms", 20.0));
      engine.collectServiceMetrics("orders", Map.of("cpu_usage", Double.NaN));
      engine.timer("orchestra.test.latency", Tags.of("service", "api")).record(3_000_000L);

      assertThat(registry.get("queue.depth").tag("service", "orders").tag("environment", "production")
          .tag("cluster", "default").gauge().value()).isEqualTo(9);
      // A cumulative counter publishes its increases: the first value is the baseline.
      assertThat(registry.get("http.requests").tag("component", "http").functionCounter().count()).isEqualTo(30);
      assertThat(registry.get("http.request.duration.ms").tag("component", "http").summary().count()).isEqualTo(2);
      assertThat(registry.get("http.request.duration.ms").summary().max()).isEqualTo(20.0);
      assertThat(registry.get("orchestra.test.latency").tag("service", "api").functionTimer().totalTime(TimeUnit.MILLISECONDS))
          .isEqualTo(3.0);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", "metric").tag("reason", "nan").counter().count())
          .isEqualTo(1);
      assertThat(registry.find("queue.depth").meters()).hasSize(1);
    }
  }
}
