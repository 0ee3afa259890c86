package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Circuit breaking per service and per instance, driven through route() on virtual time. */
class CircuitBreakingTest {
  private static final CircuitBreakerConfig BREAKER =
      CircuitBreakerConfig.builder()
          .slidingWindowSize(10)
          .minimumNumberOfCalls(5)
          .failureRateThreshold(50)
          .waitDurationInOpenState(Duration.ofSeconds(30))
          .permittedCallsInHalfOpenState(2)
          .build();

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final RecordingTelemetry telemetry = new RecordingTelemetry();

  private TrafficManager manager(List<ServiceInstance> instances, LoadBalancing lb) {
    return Fixtures.manager(time, InstanceSource.of(instances), transport)
        .telemetry(telemetry)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder()
                .loadBalancing(lb)
                .circuitBreaker(BREAKER)
                .instanceCircuitBreaker(BREAKER)
                .retryPolicy(MeshRetryPolicy.none())
                .build())
            .build())
        .build();
  }

  /** A service breaker that never trips in these tests, and strict per-instance breakers. */
  private TrafficManager instanceBreakersOnly(List<ServiceInstance> instances, LoadBalancing lb) {
    return Fixtures.manager(time, InstanceSource.of(instances), transport)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder()
                .loadBalancing(lb)
                .circuitBreaker(BREAKER.toBuilder().slidingWindowSize(1000).minimumNumberOfCalls(1000).build())
                .instanceCircuitBreaker(BREAKER)
                .retryPolicy(MeshRetryPolicy.none())
                .build())
            .build())
        .build();
  }

  private Response get(TrafficManager m) {
    return Fixtures.now(m.route(Request.get("/orders"), "orders"));
  }

  @Test
  void serviceCircuit_opens_answers503_thenHalfOpenProbesToTheHealthiest_andCloses() {
    ServiceInstance a = Fixtures.instance("orders", "a", 9001);
    ServiceInstance b = Fixtures.instance("orders", "b", 9002);
    TrafficManager m = manager(List.of(a, b), LoadBalancing.ROUND_ROBIN);
    transport.answer(9001, 500).answer(9002, 500);

    // Five failures in a row: the window has its minimum and a 100 % failure rate.
    for (int i = 0; i < 5; i++) {
      assertThat(get(m).status()).isEqualTo(500);
    }
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.OPEN);

    Response open = get(m);
    assertThat(open.status()).isEqualTo(503);
    assertThat(open.headers().get("x-orchestra-rejection")).isEqualTo("circuit_open");
    assertThat(open.headers().get("x-orchestra-circuit-state")).isEqualTo("open");
    Instant nextRetry = time.instant().plus(Duration.ofSeconds(30));
    assertThat(open.headers().get("x-orchestra-next-retry-at")).isEqualTo(nextRetry.toString());
    assertThat(open.bodyAsString())
        .contains("\"circuitState\":\"open\"")
        .contains("\"nextRetryAt\":\"" + nextRetry + "\"")
        .contains("Circuit breaker is open for service: orders");
    assertThat(transport.total()).isEqualTo(5); // refused locally

    // Instance a recovers, b does not.
    transport.answer(9001, 200);
    time.advance(Duration.ofSeconds(30));
    // Half-open: both probes go to the healthiest instance. Both have 100 % failures so far
    // (3 on a, 2 on b) and neither instance breaker has opened; ties go to the first listed, a.
    assertThat(get(m).status()).isEqualTo(200);
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(get(m).status()).isEqualTo(200);
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.CLOSED);
    assertThat(transport.calls.subList(5, 7)).allSatisfy(c -> assertThat(c.endpoint().port()).isEqualTo(9001));

    assertThat(telemetry.events)
        .filteredOn(e -> e.attributes().get("breaker").equals("orders"))
        .extracting(e -> e.attributes().get("to"))
        .containsExactly("OPEN", "HALF_OPEN", "CLOSED");
  }

  @Test
  void halfOpenProbe_avoidsTheInstanceWithFailures() {
    ServiceInstance a = Fixtures.instance("orders", "a", 9001);
    ServiceInstance b = Fixtures.instance("orders", "b", 9002);
    TrafficManager m = manager(List.of(a, b), LoadBalancing.ROUND_ROBIN);
    // a always fails, b always succeeds: 50 % failures open the service circuit.
    transport.answer(9001, 503).answer(9002, 200);
    for (int i = 0; i < 6; i++) {
      get(m);
    }
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.OPEN);
    int before = transport.total();
    time.advance(Duration.ofSeconds(30));
    get(m);
    get(m);
    assertThat(transport.calls.subList(before, before + 2)).allSatisfy(c -> assertThat(c.endpoint().port()).isEqualTo(9002));
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void failedProbes_reopenTheCircuit() {
    TrafficManager m = manager(Fixtures.instances("orders", 9001, 2), LoadBalancing.ROUND_ROBIN);
    transport.otherwise(502);
    for (int i = 0; i < 5; i++) {
      get(m);
    }
    time.advance(Duration.ofSeconds(30));
    get(m);
    get(m);
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.OPEN);
    assertThat(get(m).status()).isEqualTo(503);
  }

  @Test
  void instanceCircuit_takesOneBadInstanceOutOfRotation() {
    List<ServiceInstance> three = Fixtures.instances("orders", 9001, 3);
    TrafficManager m = manager(three, LoadBalancing.ROUND_ROBIN);
    transport.answer(9001, 500).answer(9002, 200).answer(9003, 200);
    for (int i = 0; i < 100; i++) {
      get(m);
    }
    // a's breaker opened after its fifth failure; the service stayed closed (at most 40 % failing).
    assertThat(transport.count(9001)).isEqualTo(5);
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.CLOSED);
    assertThat(transport.count(9002) + transport.count(9003)).isEqualTo(95);
    assertThat(telemetry.events)
        .anySatisfy(e -> {
          assertThat(e.attributes().get("breaker")).isEqualTo("orders/orders-0");
          assertThat(e.attributes().get("to")).isEqualTo("OPEN");
        });

    // After the wait, a gets probes again; healthy now, it rejoins.
    transport.answer(9001, 200);
    time.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 30; i++) {
      assertThat(get(m).status()).isEqualTo(200);
    }
    assertThat(transport.count(9001)).isGreaterThan(5 + 2);
  }

  @Test
  void drainedInstance_doesNotMakeTheNextRetryNow() {
    // a is drained (weight 0, breaker closed), b fails until its breaker opens: the answer's
    // nextRetryAt is b's reopening, not "now" from a's closed breaker.
    List<ServiceInstance> fleet =
        List.of(
            ServiceInstance.builder("a", "orders").address("127.0.0.1", 9001).weight(0).build(),
            Fixtures.instance("orders", "b", 9002));
    TrafficManager m = instanceBreakersOnly(fleet, LoadBalancing.WEIGHTED);
    transport.answer(9002, 500);
    for (int i = 0; i < 5; i++) {
      assertThat(get(m).status()).isEqualTo(500);
    }
    time.advance(Duration.ofSeconds(10));
    Response r = get(m);
    assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("circuit_open");
    assertThat(r.headers().get("x-orchestra-next-retry-at")).isEqualTo(time.instant().plusSeconds(20).toString());
    assertThat(transport.count(9001)).isZero();
  }

  @Test
  void everyInstanceOpen_answers503WithTheEarliestRetry() {
    TrafficManager m = instanceBreakersOnly(Fixtures.instances("orders", 9001, 2), LoadBalancing.ROUND_ROBIN);
    transport.otherwise(500);
    for (int i = 0; i < 9; i++) {
      get(m);
    }
    time.advance(Duration.ofSeconds(1)); // the second instance trips one second after the first
    get(m);
    assertThat(transport.total()).isEqualTo(10);
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.CLOSED);

    Response r = get(m);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers().get("x-orchestra-circuit-state")).isEqualTo("open");
    // The first instance opened at t=0 and probes again at t=30 s: 29 s from now.
    assertThat(r.headers().get("x-orchestra-next-retry-at")).isEqualTo(time.instant().plusSeconds(29).toString());
    assertThat(r.bodyAsString()).contains("every instance of service: orders");
    assertThat(transport.total()).isEqualTo(10);
  }
}
