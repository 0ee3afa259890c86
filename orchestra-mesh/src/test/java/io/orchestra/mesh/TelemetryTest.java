package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Metrics on every request, spans per attempt with W3C context, sampled access logs. */
class TelemetryTest {
  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final RecordingTelemetry telemetry = new RecordingTelemetry();

  private TrafficManager manager(double sampling, boolean tracing, MeshRetryPolicy retry) {
    return Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
        .telemetry(telemetry)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder().retryPolicy(retry).build())
            .observability(ObservabilityConfig.builder().samplingRate(sampling).tracingEnabled(tracing).build())
            .build())
        .build();
  }

  @Test
  void metrics_areRecordedForEveryRequest_withLowCardinalityTags_evenWhenNothingIsSampled() {
    TrafficManager m = manager(0.0, true, MeshRetryPolicy.none());
    transport.answer(9001, 200).answer(9002, 200);
    for (int i = 0; i < 50; i++) {
      Fixtures.now(m.route(Request.get("/orders/" + i + "?q=" + i), "orders"));
    }
    Fixtures.now(m.route(Request.builder("PROPFIND", "/x").build(), "orders")); // 405, method tag OTHER
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "checkout", "method", "GET", "status", "200"))
        .isEqualTo(50);
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "checkout", "method", "OTHER", "status", "405"))
        .isEqualTo(1);
    assertThat(telemetry.counter("orchestra.mesh.rejections", "service", "orders", "reason", "method_not_allowed")).isEqualTo(1);
    assertThat(telemetry.timerTotal("orchestra.mesh.attempts")).isEqualTo(50);
    assertThat(telemetry.timers.keySet()).noneMatch(k -> k.contains("/orders/")); // no paths in tags
    assertThat(telemetry.spans).isEmpty();
    assertThat(telemetry.accessLogs).isEmpty();
  }

  @Test
  void alternatingSourcesAndDestinations_areEachRecordedUnderTheirOwnTags() {
    // The last-seen source and destination are remembered to skip map lookups; interleaving
    // them (and equal names in distinct strings) must not leak one's records into another's.
    TrafficManager m =
        Fixtures.manager(
                time,
                InstanceSource.of(
                    java.util.stream.Stream.concat(
                            Fixtures.instances("orders", 9001, 1).stream(), Fixtures.instances("billing", 9101, 1).stream())
                        .toList()),
                transport)
            .telemetry(telemetry)
            .config(Fixtures.permissiveConfig().build())
            .build();
    transport.answer(9001, 200).answer(9101, 200);
    for (int i = 0; i < 12; i++) {
      String source = new String(i % 3 == 0 ? "web" : i % 3 == 1 ? "batch" : "web"); // a fresh string each time
      String destination = new String(i % 2 == 0 ? "orders" : "billing");
      PeerContext peer = PeerContext.builder().sourceService(source).build();
      assertThat(Fixtures.now(m.route(MeshRequest.of(Request.get("/x"), peer), destination)).status()).isEqualTo(200);
    }
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "web", "method", "GET", "status", "200"))
        .isEqualTo(4);
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "batch", "method", "GET", "status", "200"))
        .isEqualTo(2);
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "billing", "source", "web", "method", "GET", "status", "200"))
        .isEqualTo(4);
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "billing", "source", "batch", "method", "GET", "status", "200"))
        .isEqualTo(2);
    assertThat(transport.total()).isEqualTo(12);
  }

  @Test
  void aSampledRequest_readsTheWallClockOnce_andDatesItsSpanEndsAndAccessLogFromThatReading() {
    time.advance(Duration.ofSeconds(1_000)); // a wall clock well past the epoch
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    java.time.Clock counting =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return time.getZone();
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            reads.incrementAndGet();
            return time.instant();
          }

          @Override
          public long millis() {
            reads.incrementAndGet();
            return time.millis();
          }
        };
    io.orchestra.core.transport.Transport sevenMillis =
        (endpoint, request) -> {
          time.advance(Duration.ofMillis(7)); // the call takes 7 ms and answers synchronously
          return CompletableFuture.completedFuture(Response.of(200, "ok"));
        };
    TrafficManager m =
        TrafficManager.builder()
            .instanceSource(InstanceSource.of(Fixtures.instances("orders", 9001, 1)))
            .transport(sevenMillis)
            .ticker(time)
            .clock(counting)
            .scheduler(time)
            .random(io.orchestra.core.time.RandomSource.seeded(42))
            .localPeer(Fixtures.LOCAL)
            .telemetry(telemetry)
            .config(Fixtures.permissiveConfig()
                .observability(ObservabilityConfig.builder().samplingRate(1.0).tracingEnabled(true).build())
                .build())
            .build();
    long startMillis = time.millis();
    assertThat(Fixtures.now(m.route(Request.get("/orders"), "orders")).status()).isEqualTo(200);

    assertThat(reads.get()).isEqualTo(1);
    assertThat(telemetry.spans).hasSize(2).allSatisfy(s -> {
      assertThat(s.startEpochNanos).isEqualTo(startMillis * 1_000_000L);
      assertThat(s.ended).isTrue();
      assertThat(s.endEpochNanos).isEqualTo((startMillis + 7) * 1_000_000L);
    });
    assertThat(telemetry.accessLogs).singleElement()
        .satisfies(log -> assertThat(log.timestampEpochMillis()).isEqualTo(startMillis + 7));
  }

  @Test
  void everyAttempt_getsAChildSpan_andTheTraceparentHeader() {
    TrafficManager m = manager(1.0, true, Fixtures.retries(2, Duration.ofMillis(10)));
    transport.answer(9001, 503).answer(9002, 503);
    TraceContext caller = TraceContext.of(0x1234L, 0x5678L, 0x9abcL, true);
    Request request = Request.builder("GET", "/orders").header("traceparent", caller.toTraceparent()).build();
    CompletableFuture<Response> r = m.route(request, "orders").toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(Fixtures.now(r).status()).isEqualTo(503);

    assertThat(transport.calls).hasSize(3);
    assertThat(telemetry.spans).hasSize(3).allSatisfy(s -> {
      assertThat(s.kind).isEqualTo(TelemetrySink.SpanKind.CLIENT);
      assertThat(s.name).isEqualTo("GET orders");
      assertThat(s.parentSpanId).isEqualTo(caller.spanId());
      assertThat(s.context.traceIdHex()).isEqualTo(caller.traceIdHex());
      assertThat(s.attributes).containsEntry("http.status_code", 503L);
      assertThat(s.error).isEqualTo("GATEWAY_ERROR");
      assertThat(s.ended).isTrue();
    });
    assertThat(telemetry.spans).extracting(s -> s.attributes.get("mesh.attempt")).containsExactly(0L, 1L, 2L);
    for (int i = 0; i < 3; i++) {
      TraceContext sent = W3CTraceContext.extract(transport.calls.get(i).request().headers());
      assertThat(sent).isEqualTo(telemetry.spans.get(i).context); // the header is the attempt's span
    }
  }

  @Test
  void newTraces_areSampledAtTheConfiguredRate_forSpansAndLogs_butPropagatedAlways() {
    TrafficManager m = manager(0.25, true, MeshRetryPolicy.none());
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Fixtures.now(m.route(Request.get("/orders"), "orders"));
    }
    assertThat(transport.calls).allSatisfy(c -> assertThat(c.request().headers().get("traceparent")).isNotNull());
    long sampled = transport.calls.stream().filter(c -> W3CTraceContext.extract(c.request().headers()).sampled()).count();
    assertThat(sampled / (double) n).isBetween(0.22, 0.28);
    // Each sampled new trace: one root span for the route and one span for its attempt.
    assertThat(telemetry.spans).hasSize((int) (2 * sampled));
    assertThat(telemetry.accessLogs).hasSize((int) sampled);
    assertThat(telemetry.accessLogs).allSatisfy(log -> assertThat(log.sampleRate()).isEqualTo(0.25));
    assertThat(telemetry.timerTotal("orchestra.mesh.requests")).isEqualTo(n); // metrics: never sampled
  }

  @Test
  void accessLog_hasTheSeedsFields() {
    TrafficManager m = manager(1.0, true, MeshRetryPolicy.none());
    PeerContext peer = PeerContext.builder().sourceService("web").clientAddress("10.1.2.3").build();
    Request request = Request.builder("POST", "/orders?x=1").header("user-agent", "curl/8").build();
    Fixtures.now(m.route(MeshRequest.of(request, peer), "orders"));
    AccessLogRecord log = telemetry.accessLogs.get(0);
    assertThat(log.sourceAddress()).isEqualTo("10.1.2.3");
    assertThat(log.sourceService()).isEqualTo("web");
    assertThat(log.destinationService()).isEqualTo("orders");
    assertThat(log.instanceId()).startsWith("orders-");
    assertThat(log.method()).isEqualTo("POST");
    assertThat(log.path()).isEqualTo("/orders?x=1");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.userAgent()).isEqualTo("curl/8");
    assertThat(log.traceId()).hasSize(32);
    assertThat(log.timestampEpochMillis()).isEqualTo(time.millis());
    assertThat(log.sampleRate()).isEqualTo(1.0);
  }

  /**
   * A denial is counted under its destination even before any request to it was forwarded; only
   * destinations the instance source does not know go under {@code unknown} (bounded meters).
   */
  @Test
  void denials_areTaggedWithTheirDestination_fromTheFirstRequest() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
            .telemetry(telemetry)
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).build())
                .observability(ObservabilityConfig.builder().samplingRate(0).build())
                .build())
            .build(); // no policies: default deny
    assertThat(Fixtures.now(m.route(Request.get("/orders"), "orders")).status()).isEqualTo(403);
    assertThat(Fixtures.now(m.route(Request.get("/x"), "nowhere")).status()).isEqualTo(403);

    assertThat(telemetry.counter("orchestra.mesh.rejections", "service", "orders", "reason", "authorization_denied"))
        .isEqualTo(1);
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "checkout", "method", "GET", "status", "403"))
        .isEqualTo(1);
    assertThat(telemetry.counter("orchestra.mesh.rejections", "service", "unknown", "reason", "authorization_denied"))
        .isEqualTo(1); // "nowhere" has no instances
    assertThat(transport.total()).isZero();
  }

  @Test
  void metricsDisabled_recordNothing() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
            .telemetry(telemetry)
            .config(Fixtures.permissiveConfig()
                .observability(ObservabilityConfig.builder().metricsCollection(false).samplingRate(0).build())
                .build())
            .build();
    Fixtures.now(m.route(Request.get("/orders"), "orders"));
    Fixtures.now(m.route(Request.builder("PATCH", "/orders").build(), "orders"));
    assertThat(telemetry.timers).isEmpty();
    assertThat(telemetry.counters).isEmpty();
  }

  @Test
  void tracingDisabled_sendsTheRequestUntouched() {
    TrafficManager m = manager(1.0, false, MeshRetryPolicy.none());
    Request request = Request.builder("GET", "/orders").timeout(Duration.ofSeconds(5)).build();
    Fixtures.now(m.route(request, "orders"));
    assertThat(transport.calls.get(0).request()).isSameAs(request);
    assertThat(telemetry.spans).isEmpty();
    assertThat(telemetry.accessLogs).hasSize(1);
  }
}
