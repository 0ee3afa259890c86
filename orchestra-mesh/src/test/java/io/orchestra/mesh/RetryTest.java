package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RetryBudget;
import io.orchestra.mesh.policy.RetryOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Retries: other instances, backoff on virtual time, per-try and overall timeouts, the budget. */
class RetryTest {
  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final RecordingTelemetry telemetry = new RecordingTelemetry();

  /** An instance source that remembers what the manager reported. */
  private static final class ReportingSource implements InstanceSource {
    final List<ServiceInstance> instances;
    final List<String> reports = new CopyOnWriteArrayList<>();

    ReportingSource(List<ServiceInstance> instances) {
      this.instances = instances;
    }

    @Override
    public List<ServiceInstance> instances(String serviceName) {
      return instances;
    }

    @Override
    public void report(ServiceInstance instance, CallOutcome outcome, long latencyNanos) {
      reports.add(instance.id() + ":" + outcome);
    }
  }

  private TrafficManager manager(InstanceSource source, MeshRetryPolicy retry, Duration timeout) {
    return Fixtures.manager(time, source, transport)
        .telemetry(telemetry)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder().retryPolicy(retry).timeout(timeout).build())
            .build())
        .build();
  }

  private TrafficManager manager(int instances, MeshRetryPolicy retry) {
    return manager(InstanceSource.of(Fixtures.instances("orders", 9001, instances)), retry, Duration.ofSeconds(15));
  }

  private static CompletionStage<Response> get(TrafficManager m) {
    return m.route(Request.get("/orders"), "orders");
  }

  private Set<Integer> portsCalled() {
    Set<Integer> ports = new HashSet<>();
    transport.calls.forEach(c -> ports.add(c.endpoint().port()));
    return ports;
  }

  @Test
  void everyRetry_goesToAnInstanceNotTriedYet() {
    ReportingSource source = new ReportingSource(Fixtures.instances("orders", 9001, 3));
    TrafficManager m = manager(source, Fixtures.retries(2, Duration.ofMillis(100)), Duration.ofSeconds(15));
    transport.otherwise(503);

    CompletableFuture<Response> r = get(m).toCompletableFuture();
    assertThat(transport.total()).isEqualTo(1);
    assertThat(r).isNotDone(); // waiting for the backoff, on virtual time
    time.advance(Duration.ofMillis(100));
    assertThat(transport.total()).isEqualTo(2);
    time.advance(Duration.ofMillis(100));
    assertThat(transport.total()).isEqualTo(3);
    assertThat(Fixtures.now(r).status()).isEqualTo(503); // the last answer, as the seed returns it
    assertThat(portsCalled()).containsExactlyInAnyOrder(9001, 9002, 9003);
    assertThat(source.reports).hasSize(3).allSatisfy(rep -> assertThat(rep).endsWith(":GATEWAY_ERROR"));
    assertThat(telemetry.counter("orchestra.mesh.retries", "service", "orders")).isEqualTo(2);
  }

  @Test
  void retriesLand_onTheHealthyInstance() {
    TrafficManager m = manager(3, Fixtures.retries(3, Duration.ofMillis(10)));
    transport.answer(9001, 500).answer(9002, 500).answer(9003, 200);
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Response> r = get(m).toCompletableFuture();
      time.advance(Duration.ofSeconds(1));
      assertThat(Fixtures.now(r).status()).isEqualTo(200);
    }
  }

  @Test
  void withFewerInstancesThanRetries_instancesAreReused() {
    TrafficManager m = manager(2, Fixtures.retries(3, Duration.ofMillis(10)));
    transport.otherwise(502);
    CompletableFuture<Response> r = get(m).toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(Fixtures.now(r).status()).isEqualTo(502);
    assertThat(transport.total()).isEqualTo(4);
    assertThat(transport.calls.get(0).endpoint()).isNotEqualTo(transport.calls.get(1).endpoint());
  }

  @Test
  void retries_stopAtTheBudget() {
    // 10 % of requests may be retried, no floor: 100 failing requests earn exactly 10 retries.
    TrafficManager m = manager(3, Fixtures.retries(3, Duration.ofMillis(10), 0.1));
    transport.otherwise(503);
    for (int i = 0; i < 100; i++) {
      CompletableFuture<Response> r = get(m).toCompletableFuture();
      time.advance(Duration.ofSeconds(1));
      assertThat(Fixtures.now(r).status()).isEqualTo(503);
    }
    assertThat(transport.total()).isEqualTo(110);
    assertThat(telemetry.counter("orchestra.mesh.retries", "service", "orders")).isEqualTo(10);
    // Every request ends on a refusal: 90 on their first failure, 10 after their one retry.
    assertThat(telemetry.counter("orchestra.mesh.retry.budget.exhausted", "service", "orders")).isEqualTo(100);
  }

  @Test
  void budgetFloor_allowsAFewRetriesPerSecondAtLowTraffic() {
    MeshRetryPolicy retry = Fixtures.retries(1, Duration.ofMillis(10), 0.0).toBuilder().budget(new RetryBudget(0, 2)).build();
    TrafficManager m = manager(2, retry);
    transport.otherwise(503);
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(get(m).toCompletableFuture()); // five requests within the same second
    }
    time.advance(Duration.ofMillis(100));
    assertThat(transport.total()).isEqualTo(5 + 2);
  }

  @Test
  void perTryTimeout_movesOnToAnotherInstance() {
    MeshRetryPolicy retry =
        Fixtures.retries(2, Duration.ofMillis(100)).toBuilder()
            .retryOn(EnumSet.of(RetryOn.TIMEOUT, RetryOn.SERVER_ERROR))
            .perTryTimeout(Duration.ofSeconds(1))
            .build();
    ReportingSource source = new ReportingSource(Fixtures.instances("orders", 9001, 2));
    TrafficManager m =
        Fixtures.manager(time, source, transport)
            .config(Fixtures.permissiveConfig()
                .traffic(TrafficConfig.builder().loadBalancing(LoadBalancing.ROUND_ROBIN).retryPolicy(retry).build())
                .build())
            .build();
    transport.hang(9001).answer(9002, 200);

    CompletableFuture<Response> r = get(m).toCompletableFuture();
    assertThat(transport.calls.get(0).endpoint().port()).isEqualTo(9001);
    assertThat(transport.calls.get(0).request().timeoutNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    time.advance(Duration.ofMillis(999));
    assertThat(r).isNotDone();
    time.advance(Duration.ofMillis(1)); // per-try timeout
    assertThat(transport.calls.get(0).future()).isCancelled();
    time.advance(Duration.ofMillis(100)); // backoff
    assertThat(Fixtures.now(r).status()).isEqualTo(200);
    assertThat(source.reports).containsExactly("orders-0:TIMEOUT", "orders-1:SUCCESS");
  }

  @Test
  void overallDeadline_endsTheRequest_evenMidAttempt() {
    MeshRetryPolicy retry =
        Fixtures.retries(3, Duration.ofMillis(100)).toBuilder()
            .retryOn(EnumSet.of(RetryOn.TIMEOUT))
            .perTryTimeout(Duration.ofSeconds(5))
            .build();
    TrafficManager m = manager(InstanceSource.of(Fixtures.instances("orders", 9001, 2)), retry, Duration.ofSeconds(7));
    transport.otherwise(200);
    transport.hang(9001).hang(9002);

    CompletableFuture<Response> r = get(m).toCompletableFuture();
    time.advance(Duration.ofMillis(5100)); // first attempt times out, backoff, second attempt starts
    assertThat(transport.total()).isEqualTo(2);
    // The second attempt gets only what is left of the 7 s: 1.9 s.
    assertThat(transport.calls.get(1).request().timeoutNanos()).isEqualTo(Duration.ofMillis(1900).toNanos());
    time.advance(Duration.ofMillis(1900));
    assertThat(r).isCompletedExceptionally();
    assertThatThrownBy(r::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("did not complete within 7000 ms (2 attempts)")
        .satisfies(e -> assertThat(((TransportException) e).outcome()).isEqualTo(CallOutcome.TIMEOUT));
    assertThat(telemetry.timerCount("orchestra.mesh.requests", "service", "orders", "source", "checkout", "method", "GET", "status", "timeout"))
        .isEqualTo(1);
  }

  @Test
  void theCallersTimeout_isTheOverallDeadline() {
    MeshRetryPolicy retry = Fixtures.retries(0, Duration.ofMillis(100));
    TrafficManager m = manager(1, retry);
    transport.hang(9001);
    Request request = Request.builder("GET", "/orders").timeout(Duration.ofMillis(300)).build();
    CompletableFuture<Response> r = m.route(request, "orders").toCompletableFuture();
    assertThat(transport.calls.get(0).request().timeoutNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
    time.advance(Duration.ofMillis(300));
    assertThat(r).isCompletedExceptionally();
  }

  @Test
  void clientErrors_areNotRetried_connectFailuresAre_andTheLastErrorSurfaces() {
    TrafficManager m = manager(3, Fixtures.retries(3, Duration.ofMillis(10)));
    transport.otherwise(404);
    assertThat(Fixtures.now(get(m)).status()).isEqualTo(404);
    assertThat(transport.total()).isEqualTo(1);

    transport.fail(9001, CallOutcome.CONNECT_FAILURE).fail(9002, CallOutcome.CONNECT_FAILURE).fail(9003, CallOutcome.CONNECT_FAILURE);
    CompletableFuture<Response> r = get(m).toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(transport.total()).isEqualTo(1 + 4);
    assertThatThrownBy(r::join).cause().isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).outcome()).isEqualTo(CallOutcome.CONNECT_FAILURE));

    // reset is not in the default retryOn: no retry.
    transport.fail(9001, CallOutcome.RESET).fail(9002, CallOutcome.RESET).fail(9003, CallOutcome.RESET);
    int before = transport.total();
    CompletableFuture<Response> reset = get(m).toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(transport.total()).isEqualTo(before + 1);
    assertThat(reset).isCompletedExceptionally();
  }

  @Test
  void retriableStatusCodes_areRetried() {
    MeshRetryPolicy retry =
        Fixtures.retries(1, Duration.ofMillis(10)).toBuilder()
            .retryOn(EnumSet.of(RetryOn.RETRIABLE_STATUS_CODES))
            .retriableStatusCodes(Set.of(409))
            .build();
    TrafficManager m = manager(2, retry);
    transport.otherwise(409);
    CompletableFuture<Response> r = get(m).toCompletableFuture();
    time.advance(Duration.ofSeconds(1));
    assertThat(Fixtures.now(r).status()).isEqualTo(409);
    assertThat(transport.total()).isEqualTo(2);
  }

  @Test
  void defaultBackoff_isExponentialWithJitter_cappedAtTenSeconds() {
    MeshRetryPolicy retry = MeshRetryPolicy.builder().maxRetries(5).budget(new RetryBudget(1.0, 100)).build();
    TrafficManager m = manager(InstanceSource.of(Fixtures.instances("orders", 9001, 6)), retry, Duration.ofSeconds(60));
    List<Long> sentAt = new CopyOnWriteArrayList<>();
    for (int p = 9001; p <= 9006; p++) {
      transport.behave(p, req -> {
        sentAt.add(time.read());
        return CompletableFuture.completedFuture(Response.of(503));
      });
    }
    CompletableFuture<Response> r = get(m).toCompletableFuture();
    time.advance(Duration.ofSeconds(60));
    assertThat(r).isDone();
    assertThat(sentAt).hasSize(6);
    long[] ceilings = {1, 2, 4, 8, 10};
    for (int i = 0; i < 5; i++) {
      long gap = sentAt.get(i + 1) - sentAt.get(i);
      long ceiling = Duration.ofSeconds(ceilings[i]).toNanos();
      assertThat(gap).as("delay before retry %s", i + 1).isBetween(ceiling / 2, ceiling);
    }
  }
}
