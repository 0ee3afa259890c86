package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad input and misbehaving ports never throw into the caller; policy swaps are atomic. */
class RobustnessTest {
  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();

  private TrafficManager manager(InstanceSource source) {
    return Fixtures.manager(time, source, transport)
        .config(Fixtures.permissiveConfig().traffic(TrafficConfig.builder().retryPolicy(MeshRetryPolicy.none()).build()).build())
        .build();
  }

  @Test
  void missingRequestOrDestination_isAnsweredWith400() {
    TrafficManager m = manager(InstanceSource.of(Fixtures.instances("orders", 9001, 1)));
    assertThat(Fixtures.now(m.route((Request) null, "orders")).status()).isEqualTo(400);
    assertThat(Fixtures.now(m.route((MeshRequest) null, "orders")).status()).isEqualTo(400);
    assertThat(Fixtures.now(m.route(Request.get("/"), null)).status()).isEqualTo(400);
    Response blank = Fixtures.now(m.route(Request.get("/"), " "));
    assertThat(blank.status()).isEqualTo(400);
    assertThat(blank.headers().get("x-orchestra-rejection")).isEqualTo("invalid_request");
    assertThat(m.checkSecurity(null, "orders").reason()).isEqualTo(RejectionReason.INVALID_REQUEST);
  }

  @Test
  void unknownService_isAnswered503_noInstances() {
    TrafficManager m = manager(InstanceSource.of(List.of()));
    Response r = Fixtures.now(m.route(Request.get("/"), "nowhere"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("no_available_instances");
  }

  /** Drained instances (weight 0), under every balancer: no instance, not an open circuit. */
  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void everyInstanceDrained_isNoAvailableInstances_notAnOpenCircuit(LoadBalancing balancing) {
    List<ServiceInstance> drained =
        List.of(
            ServiceInstance.builder("a", "orders").address("127.0.0.1", 9001).weight(0).build(),
            ServiceInstance.builder("b", "orders").address("127.0.0.1", 9002).weight(0).build());
    for (boolean breakers : new boolean[] {true, false}) {
      TrafficManager m = drainingManager(drained, balancing, breakers);
      Response r = Fixtures.now(m.route(Request.get("/orders"), "orders"));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.headers().get("x-orchestra-rejection")).as("breakers %s", breakers).isEqualTo("no_available_instances");
      assertThat(r.headers().get("x-orchestra-circuit-state")).isNull();
      assertThat(r.bodyAsString()).contains("weight 0");
    }
    assertThat(transport.total()).isZero();
  }

  /** A drained instance beside a live one gets no traffic, whatever the balancer. */
  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void drainedInstance_getsNoTraffic(LoadBalancing balancing) {
    List<ServiceInstance> fleet =
        List.of(
            ServiceInstance.builder("a", "orders").address("127.0.0.1", 9001).weight(0).build(),
            ServiceInstance.builder("b", "orders").address("127.0.0.1", 9002).build());
    transport.answer(9002, 200);
    TrafficManager m = drainingManager(fleet, balancing, true);
    for (int i = 0; i < 50; i++) {
      assertThat(Fixtures.now(m.route(Request.get("/orders"), "orders")).status()).isEqualTo(200);
    }
    assertThat(transport.count(9001)).isZero();
    assertThat(transport.count(9002)).isEqualTo(50);
  }

  private TrafficManager drainingManager(
      List<ServiceInstance> fleet, LoadBalancing balancing, boolean breakers) {
    return Fixtures.manager(time, InstanceSource.of(fleet), transport)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder().loadBalancing(balancing).circuitBreakerEnabled(breakers).build())
            .build())
        .build();
  }

  /**
   * java.util.regex recurses once per repetition of a group: a plausible pattern such as {@code
   * (/[a-z0-9]+)*} overflows the stack on a long enough path. That must neither throw into the
   * caller nor open a hole: an ALLOW or DENY policy that cannot be evaluated fails closed, a route
   * rule that cannot be evaluated does not apply.
   */
  @Test
  void regexOverflowingTheStack_failsClosed_andNeverThrows() {
    String segments = "(/[a-z0-9]+)*";
    MeshPolicies policies =
        MeshPolicies.builder()
            .authorize(AuthorizationPolicy.deny("no-deep-admin").paths(List.of(StringMatch.regex("/admin" + segments))).build())
            .authorize(AuthorizationPolicy.allow("segments").paths(List.of(StringMatch.regex(segments))).build())
            .authorize(AuthorizationPolicy.allow("all-but-admin").paths(List.of(StringMatch.prefix("/api/"))).build())
            .service("orders", ServicePolicy.builder()
                .subset("a", Fixtures.labels("set", "a"))
                .subset("b", Fixtures.labels("set", "b"))
                .rule(io.orchestra.mesh.policy.RouteRule.builder("deep-to-b")
                    .match(io.orchestra.mesh.policy.RouteMatch.builder().path(StringMatch.regex("/api" + segments)).build())
                    .destinations(List.of(WeightedDestination.of("b")))
                    .build())
                .defaultRoute(List.of(WeightedDestination.of("a")))
                .build())
            .build();
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(List.of(
                Fixtures.instance("orders", "a", 9001, "set", "a"), Fixtures.instance("orders", "b", 9002, "set", "b"))), transport)
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).build())
                .observability(ObservabilityConfig.builder().samplingRate(0).build())
                .build())
            .policies(policies)
            .build();
    String deep = "/x".repeat(50_000);

    // The ALLOW regex cannot be evaluated: it does not allow (default deny).
    SecurityDecision plain = m.checkSecurity(MeshRequest.of(Request.get(deep), Fixtures.LOCAL), "orders");
    assertThat(plain.allowed()).isFalse();
    assertThat(plain.reason()).isEqualTo(RejectionReason.AUTHORIZATION_DENIED);
    // An ALLOW policy that cannot be evaluated is skipped; a later one may still allow.
    SecurityDecision api = m.checkSecurity(MeshRequest.of(Request.get("/api" + deep), Fixtures.LOCAL), "orders");
    assertThat(api.allowed()).isTrue();
    assertThat(api.policy()).isEqualTo("all-but-admin");
    // The DENY regex cannot be evaluated: it denies.
    SecurityDecision adminDeep = m.checkSecurity(MeshRequest.of(Request.get("/admin" + deep), Fixtures.LOCAL), "orders");
    assertThat(adminDeep.allowed()).isFalse();
    assertThat(adminDeep.policy()).isEqualTo("no-deep-admin");
    assertThat(Fixtures.now(m.route(Request.get("/admin" + deep), "orders")).status()).isEqualTo(403);

    // The route rule cannot be evaluated: it does not apply, the default route does.
    Response routed = Fixtures.now(m.route(Request.get("/api" + deep), "orders"));
    assertThat(routed.status()).isEqualTo(200);
    assertThat(transport.calls).extracting(c -> c.endpoint().port()).containsExactly(9001);
  }

  @Test
  void throwingInstanceSource_becomesA503_notAnException() {
    TrafficManager m = manager(service -> { throw new IllegalStateException("registry down"); });
    Response r = Fixtures.now(m.route(Request.get("/"), "orders"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("internal_error");
    assertThat(r.bodyAsString()).contains("registry down");
  }

  @Test
  void throwingTransport_becomesAFailedStage() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
            .transport((endpoint, request) -> { throw new IllegalStateException("boom"); })
            .config(Fixtures.permissiveConfig().traffic(TrafficConfig.builder().retryPolicy(MeshRetryPolicy.none()).build()).build())
            .build();
    CompletableFuture<Response> r = m.route(Request.get("/"), "orders").toCompletableFuture();
    assertThat(r).isCompletedExceptionally();
    assertThatThrownBy(r::join).cause().isInstanceOf(TransportException.class).hasMessageContaining("boom")
        .satisfies(e -> assertThat(((TransportException) e).outcome()).isEqualTo(CallOutcome.FAILURE));
  }

  @Test
  void transportAnsweringNull_becomesAFailedStage() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
            .transport((endpoint, request) -> CompletableFuture.completedFuture(null))
            .config(Fixtures.permissiveConfig().traffic(TrafficConfig.builder().retryPolicy(MeshRetryPolicy.none()).build()).build())
            .build();
    CompletableFuture<Response> r = m.route(Request.get("/"), "orders").toCompletableFuture();
    assertThatThrownBy(r::join).cause().isInstanceOf(TransportException.class).hasMessageContaining("without a response");
  }

  @Test
  void throwingTelemetry_doesNotBreakRequests() {
    TelemetrySink broken = new TelemetrySink() {
      @Override public Counter counter(String name, Tags tags) { return amount -> { throw new IllegalStateException(); }; }
      @Override public Timer timer(String name, Tags tags) { return nanos -> { }; }
      @Override public void gauge(String name, Tags tags, DoubleSupplier value) { }
      @Override public Span startSpan(String name, SpanKind kind, TraceContext c, long p, long s) { throw new IllegalStateException("spans"); }
      @Override public void accessLog(AccessLogRecord record) { throw new IllegalStateException("logs"); }
      @Override public void event(TelemetryEvent event) { throw new IllegalStateException("events"); }
    };
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
            .telemetry(broken)
            .config(Fixtures.permissiveConfig().observability(ObservabilityConfig.builder().samplingRate(1.0).build()).build())
            .build();
    for (int i = 0; i < 5; i++) {
      assertThat(Fixtures.now(m.route(Request.get("/"), "orders")).status()).isEqualTo(200);
    }
  }

  /**
   * A scheduler that refuses work (its executor was shut down while the application stops) must
   * not leave a caller's stage pending forever, nor turn a request already sent into an internal
   * error: the manager goes on without its own timers and answers with what the transport gives.
   */
  @Test
  void refusingScheduler_neverLeavesARequestHanging() {
    AtomicBoolean refuse = new AtomicBoolean();
    io.orchestra.core.time.Scheduler scheduler = (task, delayNanos) -> {
      if (refuse.get()) {
        throw new java.util.concurrent.RejectedExecutionException("scheduler shut down");
      }
      return time.schedule(task, delayNanos);
    };
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
            .scheduler(scheduler)
            .config(Fixtures.permissiveConfig()
                .traffic(TrafficConfig.builder().retryPolicy(Fixtures.retries(2, java.time.Duration.ofMillis(100))).build())
                .build())
            .build();
    transport.hang(9001).hang(9002);

    // Timers scheduled, then the scheduler shuts down: the retry cannot be scheduled, so the
    // request ends with the attempt's answer.
    CompletableFuture<Response> first = m.route(Request.get("/orders"), "orders").toCompletableFuture();
    refuse.set(true);
    transport.calls.get(0).future().complete(Response.of(503));
    assertThat(first).isDone();
    assertThat(Fixtures.now(first).status()).isEqualTo(503);

    // Refused from the start: the request is still sent and answered by the transport.
    CompletableFuture<Response> second = m.route(Request.get("/orders"), "orders").toCompletableFuture();
    assertThat(second).isNotDone();
    assertThat(transport.total()).isEqualTo(2);
    transport.calls.get(1).future().complete(Response.of(200, "late but fine"));
    assertThat(Fixtures.now(second).status()).isEqualTo(200);
  }

  @Test
  void localPeerMustBeLocal() {
    assertThatThrownBy(() -> TrafficManager.builder().localPeer(PeerContext.anonymous()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localPeer must be a PeerContext.local");
    assertThatThrownBy(() -> TrafficManager.builder().build()).hasMessageContaining("instanceSource");
  }

  @Test
  void serviceClient_callsThroughTheMeshWithTheLocalIdentity() {
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
            .config(MeshConfig.builder().security(SecurityConfig.builder().rateLimitingEnabled(false).build()).build())
            .policies(MeshPolicies.builder()
                .authorize(AuthorizationPolicy.allow("checkout-only").principals(List.of(Fixtures.LOCAL_ID)).build())
                .build())
            .build();
    io.orchestra.core.transport.ServiceClient client = m;
    assertThat(Fixtures.now(client.call("orders", Request.get("/orders"))).status()).isEqualTo(200);
    MeshRequest stranger = MeshRequest.of(Request.get("/orders"), PeerContext.local("other", "spiffe://example.org/ns/x/sa/y", null));
    assertThat(Fixtures.now(m.route(stranger, "orders")).status()).isEqualTo(403);
  }

  /**
   * Policy A authorizes header h=a and routes it to subset "a"; policy B denies it and routes
   * everything else to the "mixed" instance. A request that passed A's authorization but was
   * routed by B would reach "mixed": swapping A and B under eight threads must never do that.
   */
  @Test
  void policySwap_isAtomic_underEightThreads() throws Exception {
    List<ServiceInstance> fleet =
        List.of(Fixtures.instance("orders", "a", 9001, "set", "a"), Fixtures.instance("orders", "mixed", 9002, "set", "mixed"));
    MeshPolicies a = MeshPolicies.builder()
        .authorize(AuthorizationPolicy.allow("h-is-a").headers(java.util.Map.of("h", StringMatch.exact("a"))).build())
        .service("orders", ServicePolicy.builder().subset("a", Fixtures.labels("set", "a")).subset("mixed", Fixtures.labels("set", "mixed"))
            .defaultRoute(List.of(WeightedDestination.of("a"))).build())
        .build();
    MeshPolicies b = MeshPolicies.builder()
        .authorize(AuthorizationPolicy.allow("h-is-b").headers(java.util.Map.of("h", StringMatch.exact("b"))).build())
        .service("orders", ServicePolicy.builder().subset("a", Fixtures.labels("set", "a")).subset("mixed", Fixtures.labels("set", "mixed"))
            .defaultRoute(List.of(WeightedDestination.of("mixed"))).build())
        .build();
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(fleet), transport)
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).build())
                .observability(ObservabilityConfig.builder().samplingRate(0).build())
                .build())
            .policies(a)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(9);
    try {
      CountDownLatch go = new CountDownLatch(1);
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<int[]>> routers = new ArrayList<>();
      Request request = Request.builder("GET", "/").header("h", "a").build();
      for (int t = 0; t < 8; t++) {
        routers.add(pool.submit(() -> {
          go.await();
          int[] seen = new int[2];
          while (!stop.get()) {
            int status = Fixtures.now(m.route(request, "orders")).status();
            seen[status == 200 ? 0 : 1]++;
          }
          return seen;
        }));
      }
      Future<?> swapper = pool.submit(() -> {
        go.await();
        for (int i = 0; i < 20_000; i++) {
          m.updatePolicies(i % 2 == 0 ? b : a);
        }
        stop.set(true);
        return null;
      });
      go.countDown();
      swapper.get(60, TimeUnit.SECONDS);
      int forwarded = 0;
      int denied = 0;
      for (Future<int[]> f : routers) {
        int[] seen = f.get(60, TimeUnit.SECONDS);
        forwarded += seen[0];
        denied += seen[1];
      }
      assertThat(transport.count(9002)).as("requests routed by a policy set other than the one that authorized them").isZero();
      assertThat(transport.count(9001)).isEqualTo(forwarded);
      assertThat(forwarded).isPositive();
      assertThat(denied).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }
}
