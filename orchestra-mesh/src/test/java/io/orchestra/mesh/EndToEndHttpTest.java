package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsExchange;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.testing.LoopbackHttpServer;
import io.orchestra.core.testing.TestCertificates;
import io.orchestra.core.testing.TestCertificates.Identity;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MtlsPolicy;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole pipeline over core's real HTTP transport against HTTP servers on loopback. */
class EndToEndHttpTest {
  private final List<LoopbackHttpServer> servers = new ArrayList<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    servers.forEach(LoopbackHttpServer::close);
    timers.shutdownNow();
  }

  private LoopbackHttpServer server(int status, List<String> traceparents) {
    LoopbackHttpServer s =
        LoopbackHttpServer.http()
            .route("/", exchange -> {
              traceparents.add(exchange.getRequestHeaders().getFirst("traceparent"));
              LoopbackHttpServer.send(exchange, status, "port " + exchange.getLocalAddress().getPort());
            })
            .start();
    servers.add(s);
    return s;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // nothing listens here once the socket is closed
    }
  }

  /**
   * A client whose connect timeout (which covers the TLS handshake) is far above what a loaded
   * 2-CPU host needs for a cold JVM's first handshake: with the 5 s default, one run under load
   * failed with "HTTP connect timed out". Nothing here is about timeouts.
   */
  private static HttpTransport tlsClient(Identity client, Identity ca) {
    return HttpTransport.builder().sslContext(TestCertificates.sslContext(client, ca)).connectTimeout(Duration.ofSeconds(60)).build();
  }

  private static Response slowHostAwait(java.util.concurrent.CompletionStage<Response> stage) {
    try {
      return stage.toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }

  @Test
  void threeServersOneFailingOneDown_everyRequestSucceeds_andTraceContextReachesTheServers() throws Exception {
    List<String> traceparents = new CopyOnWriteArrayList<>();
    LoopbackHttpServer good1 = server(200, traceparents);
    LoopbackHttpServer good2 = server(200, traceparents);
    LoopbackHttpServer failing = server(503, traceparents);
    List<ServiceInstance> instances =
        List.of(
            Fixtures.instance("orders", "good-1", good1.port()),
            Fixtures.instance("orders", "failing", failing.port()),
            Fixtures.instance("orders", "down", closedPort()),
            Fixtures.instance("orders", "good-2", good2.port()));
    RecordingTelemetry telemetry = new RecordingTelemetry();
    CircuitBreakerConfig quickInstanceBreaker =
        CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(2).waitDurationInOpenState(Duration.ofMinutes(5)).build();
    TrafficManager manager =
        TrafficManager.builder()
            .instanceSource(InstanceSource.of(instances))
            .transport(HttpTransport.builder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build()) // "down" is refused at once
            .scheduler(Scheduler.of(timers))
            .executor(java.util.concurrent.ForkJoinPool.commonPool()) // retries leave the timer thread
            .random(io.orchestra.core.time.RandomSource.seeded(7)) // balancing ties: reproducible
            .telemetry(telemetry)
            .localPeer(Fixtures.LOCAL)
            .config(Fixtures.permissiveConfig()
                .traffic(TrafficConfig.builder()
                    .instanceCircuitBreaker(quickInstanceBreaker)
                    .retryPolicy(Fixtures.retries(3, Duration.ofMillis(5)))
                    .build())
                .observability(ObservabilityConfig.builder().samplingRate(1.0).build())
                .build())
            .build();

    TraceContext caller = W3CTraceContext.parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    for (int i = 0; i < 40; i++) {
      Request request = Request.builder("GET", "/orders/" + i).header("traceparent", caller.toTraceparent()).build();
      Response r = Fixtures.await(manager.route(request, "orders"));
      assertThat(r.status()).as("request %s", i).isEqualTo(200);
      assertThat(r.bodyAsString()).isIn("port " + good1.port(), "port " + good2.port());
    }

    // The failing and the dead instance were each tried at most until their breakers opened.
    assertThat(failing.requestCount()).isBetween(1, 2);
    assertThat(good1.requestCount() + good2.requestCount()).isEqualTo(40);
    // Every attempt carried a child of the caller's trace, with a fresh span id.
    assertThat(traceparents).allSatisfy(tp -> {
      TraceContext c = W3CTraceContext.parseTraceparent(tp);
      assertThat(c.traceIdHex()).isEqualTo(caller.traceIdHex());
      assertThat(c.spanId()).isNotEqualTo(caller.spanId());
    });
    assertThat(telemetry.spans).filteredOn(s -> s.parentSpanId == caller.spanId()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(telemetry.accessLogs).hasSize(40).allSatisfy(log -> assertThat(log.statusCode()).isEqualTo(200));
    assertThat(telemetry.timerCount("orchestra.mesh.attempts", "service", "orders", "instance", "down", "outcome", "connect_failure"))
        .isBetween(1L, 2L);
  }

  @Test
  void inboundMtls_serverVerifiesTheRealTlsPeerThroughTheManager() {
    Identity ca = TestCertificates.newCa("mesh-ca");
    Identity serverId = TestCertificates.newServer(ca);
    Identity web = TestCertificates.newClient(ca, "CN=web", "spiffe://example.org/ns/shop/sa/web");
    Identity cron = TestCertificates.newClient(ca, "CN=cron", "spiffe://example.org/ns/ops/sa/cron");
    TrafficManager inbound =
        TrafficManager.builder()
            .instanceSource(InstanceSource.of(List.of()))
            .transport((endpoint, request) -> { throw new AssertionError("inbound checks only"); })
            .config(MeshConfig.builder().security(SecurityConfig.builder().rateLimitingEnabled(false).build()).build())
            .policies(MeshPolicies.builder()
                .mtls(MtlsPolicy.builder().trustedCertificates(List.of(ca.certificate())).build())
                .authorize(AuthorizationPolicy.allow("shop-only").namespaces(List.of("shop")).build())
                .build())
            .build();
    LoopbackHttpServer server =
        LoopbackHttpServer.https(TestCertificates.sslContext(serverId, ca), true)
            .route("/", exchange -> {
              PeerContext peer =
                  PeerContext.fromSslSession(((HttpsExchange) exchange).getSSLSession())
                      .clientAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                      .build();
              Request request = Request.builder(exchange.getRequestMethod(), exchange.getRequestURI().toString()).build();
              SecurityDecision d = inbound.checkSecurity(MeshRequest.of(request, peer), "orders");
              LoopbackHttpServer.send(exchange, d.allowed() ? 200 : 403, d.peer().identity() + " " + d.detail());
            })
            .start();
    servers.add(server);

    Response allowed = slowHostAwait(tlsClient(web, ca).send(server.endpoint(), Request.get("/orders")));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.bodyAsString()).startsWith("spiffe://example.org/ns/shop/sa/web").contains("shop-only");

    Response denied = slowHostAwait(tlsClient(cron, ca).send(server.endpoint(), Request.get("/orders")));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.bodyAsString()).contains("default deny");
  }
}
