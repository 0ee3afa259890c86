package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.testing.LoopbackHttpServer;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.saga.journal.InMemorySagaJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Service-call steps over real HTTP on loopback: templates, saga headers, idempotency keys stable
 * across a retry, response merged into the data, compensation calls.
 */
class ServiceCallStepTest {

  /** Saga data with a field that receives the payment service's answer. */
  public record Payment(String orderId, long amount, String tenant, Map<String, Object> payment) {}

  record Seen(String method, String uri, Map<String, List<String>> headers, String body) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger posts = new AtomicInteger();
  LoopbackHttpServer server;
  VirtualTime time;
  SagaOrchestrator orchestrator;

  @BeforeEach
  void start() {
    server =
        LoopbackHttpServer.http()
            .route(
                "/payments/",
                exchange -> {
                  record(exchange);
                  if (exchange.getRequestMethod().equals("POST")) {
                    if (posts.getAndIncrement() == 0) {
                      LoopbackHttpServer.send(exchange, 503, "busy");
                    } else {
                      exchange.getResponseHeaders().add("content-type", "application/json");
                      LoopbackHttpServer.send(exchange, 201, "{\"id\":\"pay-1\",\"state\":\"captured\"}");
                    }
                  } else {
                    LoopbackHttpServer.send(exchange, 204, "");
                  }
                })
            .start();
    time = new VirtualTime();
    orchestrator =
        SagaOrchestrator.builder()
            .nodeId("http")
            .journal(InMemorySagaJournal.create())
            .serviceClient(DirectServiceClient.of(HttpTransport.create(), Map.of("payments", server.endpoint())))
            .ticker(time)
            .clock(time)
            .scheduler(time)
            .random(RandomSource.seeded(3))
            .config(
                SagaConfig.builder()
                    .execution(ExecutionConfig.builder().retryBackoff(Backoff.fixed(Duration.ofMillis(200))).build())
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    orchestrator.close();
    server.close();
  }

  void record(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        Map.copyOf(exchange.getRequestHeaders()), body));
  }

  static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      LockSupport.parkNanos(1_000_000); // waiting for real HTTP round trips
    }
  }

  SagaDefinition<Payment> definition(boolean failAfter) {
    return SagaDefinition.builder("checkout", Payment.class)
        .step("pay", s -> s
            .call(ServiceCall.post("payments", "/payments/${orderId}")
                .param("amount", "${amount}")
                .header("X-Tenant", "${tenant}")
                .body("{\"amount\": ${amount}, \"order\": ${orderId}, \"key\": ${saga.idempotencyKey}}")
                .mergeResponseAt("payment")
                .build())
            .compensationCall(ServiceCall.delete("payments", "/payments/${orderId}").build()))
        .step("audit", s -> s.invoke(ctx -> {
          if (failAfter) {
            throw new NonRetriableStepException("audit refused");
          }
          return ctx.data();
        }))
        .build();
  }

  @Test
  @DisplayName("a service-call step: templates expanded, saga headers sent, one key across a retry, response merged")
  void serviceCallStep() {
    SagaExecution<Payment> run =
        orchestrator.execute(definition(false), new Payment("o 1", 40, "acme", Map.of()));
    until(() -> orchestrator.getSagaStatus(run.sagaId()).steps().get(0).attempts() == 2);
    // The failed attempt is recorded just before its retry is put on the scheduler; advancing time
    // in between would leave the retry due 200 ms after the advance, and the test would hang.
    until(() -> time.pendingTasks() == 1);
    assertThat(seen).hasSize(1); // the 503
    time.advance(Duration.ofMillis(200)); // the backoff elapses; the retry goes out
    SagaResult<Payment> result = run.result().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

    assertThat(result.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(result.data().payment()).containsEntry("id", "pay-1").containsEntry("state", "captured");
    assertThat(seen).hasSize(2);
    for (Seen s : seen) {
      assertThat(s.method()).isEqualTo("POST");
      assertThat(s.uri()).isEqualTo("/payments/o%201?amount=40");
      assertThat(s.headers().get("X-saga-id")).containsExactly(run.sagaId());
      assertThat(s.headers().get("X-step-name")).containsExactly("pay");
      assertThat(s.headers().get("X-saga-action")).containsExactly("forward");
      assertThat(s.headers().get("Idempotency-key")).containsExactly(run.sagaId() + "/pay");
      assertThat(s.headers().get("X-tenant")).containsExactly("acme");
      assertThat(s.body()).isEqualTo("{\"amount\": 40, \"order\": \"o 1\", \"key\": \"" + run.sagaId() + "/pay\"}");
    }
  }

  @Test
  @DisplayName("a failure after a service-call step calls its compensation with the compensation key")
  void compensationCall() {
    posts.set(1); // no 503 this time
    SagaExecution<Payment> run =
        orchestrator.execute(definition(true), new Payment("o-2", 5, "acme", Map.of()));
    SagaResult<Payment> result = run.result().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(seen).extracting(Seen::method).containsExactly("POST", "DELETE");
    Seen delete = seen.get(1);
    assertThat(delete.uri()).isEqualTo("/payments/o-2");
    assertThat(delete.headers().get("Idempotency-key")).containsExactly(run.sagaId() + "/pay/compensate");
    assertThat(delete.headers().get("X-saga-action")).containsExactly("compensate");
  }

  @Test
  @DisplayName("a placeholder without a value fails the step at once, without calling the service")
  void missingPlaceholder() {
    SagaDefinition<Payment> def =
        SagaDefinition.builder("broken", Payment.class)
            .step("pay", s -> s.call(ServiceCall.post("payments", "/payments/${customer.id}").build()))
            .build();
    SagaResult<Payment> result =
        orchestrator.execute(def, new Payment("o-3", 5, "acme", Map.of()))
            .result().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    assertThat(result.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(result.error()).contains("placeholder ${customer.id} has no value");
    assertThat(seen).isEmpty();
  }
}
