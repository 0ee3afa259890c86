package io.orchestra.benchmarks.mesh;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.Transport;
import io.orchestra.mesh.MeshConfig;
import io.orchestra.mesh.MeshRequest;
import io.orchestra.mesh.ObservabilityConfig;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.TrafficManager;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MtlsPolicy;
import io.orchestra.mesh.policy.RateLimitPolicy;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole {@code TrafficManager.route()} pipeline over an in-process transport that answers
 * immediately (one pre-built response): mTLS identity check (a local peer: no certificate to
 * verify), three authorization policies, a per-identity rate limit, allowed methods, the service
 * and instance circuit breakers, a 90/10 weighted split by a hashed request key, least-connection
 * balancing over the chosen subset, the retry machinery (nothing fails, so no retry), metrics and
 * sampled access logs; with W3C trace propagation on or off ({@code tracing}).
 *
 * <p>Side by side: the same transport call decorated by Resilience4j's CircuitBreaker,
 * RateLimiter and Retry (synchronously, and with their CompletionStage decorators). Resilience4j
 * does less (no policies, no split, no balancing, no telemetry); the target is at most 1.5x its
 * time. A third row adds OpenTelemetry's tracing to that chain, the work {@code route()} does
 * with {@code tracing = true} that the chain alone does not. Run with {@code -prof gc} for
 * allocation per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class RouteBenchmark {
  private static final String SERVICE = "orders";
  private static final String IDENTITY = "spiffe://example.org/ns/shop/sa/checkout";

  /** Trace propagation: a new child context and a traceparent header per attempt. */
  @Param({"false", "true"})
  public boolean tracing;

  private TrafficManager manager;
  private MeshRequest request;
  private Supplier<Response> resilience4jSync;
  private Supplier<CompletionStage<Response>> resilience4jAsync;
  private OpenTelemetryTracedCall tracedCall;
  private Supplier<CompletionStage<Response>> resilience4jAsyncTraced;
  private ScheduledExecutorService retryScheduler;

  @Setup(Level.Trial)
  public void setUp() {
    Response ok = Response.of(200, "ok");
    CompletableFuture<Response> answered = CompletableFuture.completedFuture(ok);
    Transport inProcess = (endpoint, req) -> answered;

    List<ServiceInstance> instances =
        List.of(
            instance("v1-a", 9001, "v1"),
            instance("v1-b", 9002, "v1"),
            instance("v1-c", 9003, "v1"),
            instance("v2-a", 9004, "v2"));
    MeshPolicies policies =
        MeshPolicies.builder()
            .mtls(MtlsPolicy.builder().allowedIdentities(List.of("spiffe://example.org/ns/shop/*")).build())
            .authorize(AuthorizationPolicy.deny("no-admin").paths(List.of(StringMatch.prefix("/admin/"))).build())
            .authorize(
                AuthorizationPolicy.allow("shop-reads")
                    .destinations(List.of(SERVICE))
                    .namespaces(List.of("shop"))
                    .methods(List.of("GET"))
                    .paths(List.of(StringMatch.prefix("/orders")))
                    .build())
            .authorize(AuthorizationPolicy.allow("ops").namespaces(List.of("ops")).build())
            .rateLimit(
                RateLimitPolicy.builder("per-caller")
                    .key(RateLimitPolicy.Key.SOURCE_IDENTITY)
                    .limit(TokenBucket.Config.of(1_000_000_000, Duration.ofSeconds(1)))
                    .build())
            .service(
                SERVICE,
                ServicePolicy.builder()
                    .subset("v1", Map.of("version", "v1"))
                    .subset("v2", Map.of("version", "v2"))
                    .routeKeyHeader("x-user-id")
                    .defaultRoute(List.of(WeightedDestination.of("v1", 90), WeightedDestination.of("v2", 10)))
                    .build())
            .build();
    manager =
        TrafficManager.builder()
            .instanceSource(InstanceSource.of(instances))
            .transport(inProcess)
            .config(MeshConfig.builder()
                .observability(ObservabilityConfig.builder().tracingEnabled(tracing).build())
                .build())
            .policies(policies)
            .localPeer(PeerContext.local("checkout", IDENTITY, null))
            .build();
    // The timeout equals the per-try timeout, so without tracing the request is sent unchanged.
    request =
        MeshRequest.of(
            Request.builder("GET", "/orders/42").header("x-user-id", "user-7").timeout(Duration.ofSeconds(5)).build(),
            PeerContext.local("checkout", IDENTITY, null));

    Endpoint endpoint = instances.get(0).endpoint();
    Request plain = request.request();
    CircuitBreaker breaker =
        CircuitBreaker.of("orders", CircuitBreakerConfig.custom().recordResult(r -> ((Response) r).status() >= 500).build());
    RateLimiter limiter =
        RateLimiter.of(
            "orders",
            RateLimiterConfig.custom()
                .limitForPeriod(1_000_000_000)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    Retry retry =
        Retry.of("orders", RetryConfig.<Response>custom().maxAttempts(4).retryOnResult(r -> r.status() >= 500).build());
    Supplier<Response> call = () -> inProcess.send(endpoint, plain).toCompletableFuture().join();
    resilience4jSync =
        Retry.decorateSupplier(retry, RateLimiter.decorateSupplier(limiter, CircuitBreaker.decorateSupplier(breaker, call)));
    retryScheduler = Executors.newSingleThreadScheduledExecutor();
    Supplier<CompletionStage<Response>> asyncCall = () -> inProcess.send(endpoint, plain);
    resilience4jAsync =
        Retry.decorateCompletionStage(
            retry,
            retryScheduler,
            RateLimiter.decorateCompletionStage(limiter, CircuitBreaker.decorateCompletionStage(breaker, asyncCall)));
    tracedCall = new OpenTelemetryTracedCall(inProcess, endpoint, plain, SERVICE, 0.1);
    resilience4jAsyncTraced =
        Retry.decorateCompletionStage(
            retry,
            retryScheduler,
            RateLimiter.decorateCompletionStage(limiter, CircuitBreaker.decorateCompletionStage(breaker, tracedCall)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    retryScheduler.shutdownNow();
    tracedCall.close();
  }

  private static ServiceInstance instance(String id, int port, String version) {
    return ServiceInstance.builder(id, SERVICE).address("10.0.0.1", port).label("version", version).build();
  }

  @Benchmark
  public CompletionStage<Response> orchestraRoute() {
    return manager.route(request, SERVICE);
  }

  @Benchmark
  public Response resilience4jSync() {
    return resilience4jSync.get();
  }

  @Benchmark
  public CompletionStage<Response> resilience4jAsync() {
    return resilience4jAsync.get();
  }

  /**
   * The stage chain with OpenTelemetry tracing each attempt as {@code route()} does with {@code
   * tracing = true} (see {@link OpenTelemetryTracedCall}): context for the comparison, not the
   * target's peer, which is {@link #resilience4jAsync}. Independent of {@link #tracing}.
   */
  @Benchmark
  public CompletionStage<Response> resilience4jAsyncTraced() {
    return resilience4jAsyncTraced.get();
  }

  @Benchmark
  @Threads(2)
  public CompletionStage<Response> orchestraRouteContended() {
    return manager.route(request, SERVICE);
  }

  @Benchmark
  @Threads(2)
  public Response resilience4jSyncContended() {
    return resilience4jSync.get();
  }
}
