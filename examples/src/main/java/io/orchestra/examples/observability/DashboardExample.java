package io.orchestra.examples.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.Request;
import io.orchestra.examples.LoopbackService;
import io.orchestra.examples.LoopbackService.Answer;
import io.orchestra.mesh.MeshConfig;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.TrafficManager;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TracingConfig;
import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reading a dashboard: the {@link ObservabilityEngine} is the telemetry sink of the other
 * engines (here a {@link TrafficManager} in front of a payments server that fails one call in
 * five); after the traffic, the application asks the engine for the service's health dashboard
 * and reads its KPIs, top issues and dependencies, or serializes it as JSON.
 */
public final class DashboardExample {
  private DashboardExample() {}

  /**
   * The dashboard and its JSON form.
   *
   * @param dashboard the payments service's dashboard
   * @param json the same, as a JSON document
   */
  public record Result(ServiceHealthDashboard dashboard, String json) {}

  public static Result run(int calls) throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (LoopbackService payments = LoopbackService.start("payments", (method, path) ->
            n.incrementAndGet() % 5 == 0 ? new Answer(503, "processor unavailable") : new Answer(201, "captured"));
        ObservabilityEngine observability = ObservabilityEngine.builder()
            .config(ObservabilityConfig.builder()
                .serviceName("checkout") // this process
                .tracing(TracingConfig.builder().samplingRate(1.0).build())
                .build())
            .build()) {
      TrafficManager mesh =
          TrafficManager.builder()
              .instanceSource(InstanceSource.of(List.of(
                  ServiceInstance.builder("payments-1", "payments").address("127.0.0.1", payments.port()).build())))
              .telemetry(observability) // every engine takes the engine as its TelemetrySink
              // No retries, so every fifth call fails visibly; every access log kept, so the
              // dashboard's counts are exact (the mesh samples access logs, 10 % by default, and
              // the dashboard then counts each kept log as 1/rate requests: an estimate).
              .config(MeshConfig.fromYaml("traffic: {retryPolicy: {maxRetries: 0}}\nobservability: {samplingRate: 1.0}"))
              .policies(MeshPolicies.builder()
                  .authorize(AuthorizationPolicy.allow("checkout-pays").destinations(List.of("payments")).build())
                  .build())
              .localPeer(PeerContext.local("checkout", "spiffe://example.org/ns/shop/sa/checkout", "shop"))
              .build();
      for (int i = 0; i < calls; i++) {
        mesh.route(Request.builder("POST", "/payments").body("{}").build(), "payments").toCompletableFuture().join();
      }

      observability.flush(); // make buffered spans and metrics visible now
      ServiceHealthDashboard dashboard = observability.generateServiceHealthDashboard("payments", Duration.ofMinutes(5));
      return new Result(dashboard, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(dashboard));
    }
  }

  public static void main(String[] args) throws Exception {
    ServiceHealthDashboard d = run(50).dashboard();
    Kpis k = d.kpis();
    System.out.printf("payments: %d requests, %d errors (%.0f %%), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, health %.2f%n",
        k.requestCount(), k.errorCount(), 100 * k.errorRate(), k.latencyP50Millis(), k.latencyP95Millis(),
        k.latencyP99Millis(), d.healthScore());
    d.topIssues().forEach(t -> System.out.println("top issue: " + t.kind() + " " + t.description() + " x" + t.count()));
    d.dependencies().forEach(e -> System.out.println("dependency: " + e.caller() + " -> " + e.callee() + ", " + e.calls() + " calls"));
  }
}
