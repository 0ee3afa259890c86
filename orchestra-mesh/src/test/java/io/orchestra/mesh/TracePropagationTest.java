package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The trace context a new trace sends: an unsampled one is never built as context objects on the
 * synchronous path, so these pin that its ids are still exactly what they were and that every
 * consumer (header, spans, access log, retries) agrees on them.
 */
class TracePropagationTest {
  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final RecordingTelemetry telemetry = new RecordingTelemetry();

  private TrafficManager manager(double sampling, MeshRetryPolicy retry) {
    return manager(sampling, retry, RandomSource.seeded(42));
  }

  private TrafficManager manager(double sampling, MeshRetryPolicy retry, RandomSource random) {
    return Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
        .random(random)
        .telemetry(telemetry)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder().retryPolicy(retry).build())
            .observability(ObservabilityConfig.builder().samplingRate(sampling).tracingEnabled(true).build())
            .build())
        .build();
  }

  private TraceContext sent(int call) {
    return W3CTraceContext.extract(transport.calls.get(call).request().headers());
  }

  @Test
  @DisplayName("an unsampled new trace draws its trace id and the attempt's span id, and no root span id")
  void unsampledNewTrace_drawsNoRootSpanId_andSendsTheIdsItDrew() {
    CountingRandom random = new CountingRandom(RandomSource.seeded(42));
    TrafficManager m = manager(0.0, MeshRetryPolicy.none(), random);
    Fixtures.now(m.route(Request.get("/orders"), "orders"));

    // Two trace-id halves, least-connection's starting point, the attempt's span id: nothing for
    // a root span that is neither recorded nor sent.
    assertThat(random.draws).isEqualTo(4);
    CountingRandom replay = new CountingRandom(RandomSource.seeded(42));
    long high = replay.nextLong();
    long low = replay.nextLong();
    replay.nextInt(2); // least-connection's random starting point over the two instances
    long span = replay.nextLong();
    assertThat(transport.calls.get(0).request().headers().get("traceparent"))
        .isEqualTo(TraceContext.of(high, low, span, false).toTraceparent());
    assertThat(sent(0).sampled()).isFalse();
    assertThat(telemetry.spans).isEmpty();
  }

  @Test
  @DisplayName("a sampled new trace draws a root span id, and its attempt's parent is that root")
  void sampledNewTrace_drawsARootSpanId() {
    CountingRandom random = new CountingRandom(RandomSource.seeded(42));
    TrafficManager m = manager(1.0, MeshRetryPolicy.none(), random);
    Fixtures.now(m.route(Request.get("/orders"), "orders"));

    assertThat(random.draws).isEqualTo(5);
    RecordingTelemetry.RecordedSpan root = telemetry.spans.get(0);
    assertThat(root.context.spanId()).isNotZero().isNotEqualTo(sent(0).spanId());
    assertThat(telemetry.spans.get(1).parentSpanId).isEqualTo(root.context.spanId());
  }

  /** Counts every 64-bit draw (the interface's defaults derive all others from nextLong). */
  private static final class CountingRandom implements RandomSource {
    private final RandomSource delegate;
    int draws;

    CountingRandom(RandomSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public long nextLong() {
      draws++;
      return delegate.nextLong();
    }
  }

  @Test
  @DisplayName("a new trace is sampled from its trace id's random bits, drawing nothing for the decision")
  void newTrace_isSampledFromItsTraceId() {
    TrafficManager m = manager(0.3, MeshRetryPolicy.none());
    int n = 2000;
    for (int i = 0; i < n; i++) {
      Fixtures.now(m.route(Request.get("/orders"), "orders"));
    }
    long sampled = 0;
    for (int i = 0; i < n; i++) {
      TraceContext c = sent(i);
      // The rightmost seven bytes of the trace id as a fraction of their range, against the rate.
      boolean expected = (c.traceIdLow() & 0x00ff_ffff_ffff_ffffL) < (long) (0.3 * 0x1.0p56);
      assertThat(c.sampled()).as("call %s, trace %s", i, c.traceIdHex()).isEqualTo(expected);
      sampled += expected ? 1 : 0;
    }
    assertThat(sampled / (double) n).isBetween(0.26, 0.34);

    // The first request's ids are TraceContext.newRoot's draws with no draw before them.
    RandomSource replay = RandomSource.seeded(42);
    TraceContext root = TraceContext.newRoot(replay, false);
    assertThat(sent(0).traceIdHex()).isEqualTo(root.traceIdHex());
  }

  @Test
  void unsampledNewTrace_retries_keepTheTraceId_withANewSpanPerAttempt() {
    TrafficManager m = manager(0.0, Fixtures.retries(2, Duration.ofMillis(10)));
    transport.answer(9001, 503).answer(9002, 503);
    CompletableFuture<Response> r = m.route(Request.get("/orders"), "orders").toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(Fixtures.now(r).status()).isEqualTo(503);

    assertThat(transport.calls).hasSize(3);
    List<TraceContext> sent = List.of(sent(0), sent(1), sent(2));
    assertThat(sent).extracting(TraceContext::traceIdHex).containsOnly(sent.get(0).traceIdHex());
    assertThat(sent).extracting(TraceContext::spanId).doesNotHaveDuplicates();
    assertThat(sent).noneMatch(TraceContext::sampled);
  }

  @Test
  void sampledNewTrace_rootSpan_attemptSpan_header_andAccessLog_agree() {
    TrafficManager m = manager(1.0, MeshRetryPolicy.none());
    Fixtures.now(m.route(Request.get("/orders"), "orders"));

    assertThat(telemetry.spans).hasSize(2);
    RecordingTelemetry.RecordedSpan root = telemetry.spans.get(0); // recorded as they start
    RecordingTelemetry.RecordedSpan attempt = telemetry.spans.get(1);
    assertThat(root.kind).isEqualTo(TelemetrySink.SpanKind.INTERNAL);
    assertThat(root.name).isEqualTo("route orders");
    assertThat(attempt.kind).isEqualTo(TelemetrySink.SpanKind.CLIENT);
    assertThat(attempt.name).isEqualTo("GET orders");
    assertThat(attempt.parentSpanId).isEqualTo(root.context.spanId());
    assertThat(sent(0)).isEqualTo(attempt.context);
    assertThat(sent(0).sampled()).isTrue();
    assertThat(attempt.context.traceIdHex()).isEqualTo(root.context.traceIdHex());
    assertThat(telemetry.accessLogs).singleElement().satisfies(log -> assertThat(log.traceId()).isEqualTo(root.context.traceIdHex()));
  }

  @Test
  void callersUnsampledContext_isContinued_withItsTraceState() {
    TrafficManager m = manager(1.0, MeshRetryPolicy.none());
    TraceContext caller = W3CTraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", "vendor=a1,other=b2");
    Request request =
        Request.builder("GET", "/orders")
            .header("traceparent", caller.toTraceparent())
            .header("tracestate", caller.traceState())
            .build();
    Fixtures.now(m.route(request, "orders"));

    TraceContext out = sent(0);
    assertThat(out.traceIdHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(out.spanId()).isNotEqualTo(caller.spanId());
    assertThat(out.sampled()).isFalse();
    assertThat(out.traceState()).isEqualTo("vendor=a1,other=b2");
    assertThat(telemetry.spans).isEmpty(); // the caller did not sample it
    assertThat(telemetry.accessLogs).isEmpty();
  }

  @Test
  void spanNames_areMethodAndService_forCommonAndOtherMethods() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
            .telemetry(telemetry)
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder()
                    .mtlsEnabled(false)
                    .authorizationPolicyEnabled(false)
                    .rateLimitingEnabled(false)
                    .allowedMethods(java.util.Set.of("PATCH", "PROPFIND"))
                    .build())
                .traffic(TrafficConfig.builder().retryPolicy(MeshRetryPolicy.none()).build())
                .observability(ObservabilityConfig.builder().samplingRate(1.0).build())
                .build())
            .build();
    Fixtures.now(m.route(Request.builder("PATCH", "/orders").build(), "orders")); // a prepared name
    Fixtures.now(m.route(Request.builder("PROPFIND", "/orders").build(), "orders")); // made per request
    assertThat(telemetry.spans).extracting(s -> s.name)
        .containsExactly("route orders", "PATCH orders", "route orders", "PROPFIND orders");
  }
}
