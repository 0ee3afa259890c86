package io.orchestra.examples.demo;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.examples.demo.DemoCluster.Workload;
import io.orchestra.examples.demo.OrderScript.Scripted;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.TracingConfig;
import io.orchestra.saga.CompensationConfig;
import io.orchestra.saga.ExecutionConfig;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.WorkloadScheduler;
import io.orchestra.mesh.TrafficManager;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One run of the end-to-end demo: builds every engine on the shared infrastructure, with the
 * observability engine as everyone's telemetry sink, runs the phases in order and returns what
 * they measured. {@link #close()} stops servers, engines and threads, so the JVM can exit.
 *
 * <p>Phases: placement (scheduler) and registration with health checks (discovery); the mesh's
 * authorization and canary split; retries and a breaker around a failing replica; the order
 * batch (saga) with a node failure in the middle of it; the report (observability).
 */
public final class DemoRun implements AutoCloseable {
  private static final List<String> CALLEES = List.of("inventory", "payment", "shipping");

  private final DemoOptions options;
  private final Infrastructure infra = new Infrastructure();
  private final Console console;
  private final Path output;
  private final EventTap events = new EventTap();
  private final ObservabilityEngine observability;
  private final TelemetrySink telemetry;
  private final InventoryService inventory;
  private final PaymentService payment = new PaymentService();
  private final ShippingService shipping = new ShippingService();
  private final DiscoveryWiring discovery;
  private final ClusterState cluster;
  private final LoopbackRuntime runtime;
  private final WorkloadScheduler scheduler;
  private final TrafficManager mesh;
  private final JdbcSagaJournal journal;
  private final SagaOrchestrator orchestrator;
  private final SagaDefinition<Order> placeOrder = PlaceOrderSaga.definition();

  private DemoRun(DemoOptions options, PrintStream out) {
    this.options = options;
    this.console = new Console(out, infra.ticker);
    this.output = options.output().toAbsolutePath().normalize();
    console.phase("start", "engines: observability (everyone's telemetry sink), discovery, scheduler, mesh, saga (%s)",
        options.longRun() ? "long run" : "short run; --long to watch longer");
    try {
      this.observability =
          ObservabilityEngine.builder()
              .config(ObservabilityConfig.builder()
                  .serviceName("checkout") // the demo process: spans it makes without a service name are checkout's
                  .environment("demo")
                  .cluster("loopback")
                  .tracing(TracingConfig.builder().samplingRate(1.0).completionDelay(Duration.ofSeconds(1)).build())
                  .build())
              .clock(infra.clock)
              .ticker(infra.ticker)
              .scheduler(infra.timers)
              .random(infra.random)
              .executor(infra.work)
              .build();
      this.telemetry = TelemetrySink.composite(observability, events);
      this.inventory = new InventoryService(OrderScript.stock(options.orders()));
      this.discovery = DiscoveryWiring.start(options.zookeeper(), Long.toString(infra.clock.millis(), 36), infra, telemetry);
      this.cluster = ClusterState.of(infra.clock, DemoCluster.nodes());
      this.runtime =
          new LoopbackRuntime(cluster, discovery.discovery(), List.of(inventory, payment, shipping),
              new ServerTelemetry(observability, infra.clock, infra.random), infra.handlers, DiscoveryWiring.HEALTH_CHECK);
      this.scheduler =
          WorkloadScheduler.builder(cluster)
              .config(SchedulerConfig.defaults())
              .runtime(runtime)
              .ticker(infra.ticker)
              .clock(infra.clock)
              .timers(infra.timers)
              .random(infra.random)
              .telemetry(telemetry)
              .build();
      this.mesh = MeshWiring.build(infra, discovery.discovery().asInstanceSource(), telemetry);
      this.journal = EmbeddedSagaJournal.open(freshJournal(output.resolve("saga-journal")));
      this.orchestrator = sagaOrchestrator();
    } catch (RuntimeException e) {
      close(); // whatever was built so far
      throw e;
    }
  }

  /** Runs the demo with {@code options}, printing to {@code out}. */
  public static DemoResult run(DemoOptions options, PrintStream out) throws Exception {
    try (DemoRun run = new DemoRun(options, out)) {
      return run.phases();
    }
  }

  private DemoResult phases() throws Exception {
    Instant started = infra.clock.instant();
    Story story = new Story();
    List<Workload> workloads = DemoCluster.workloads();
    console.phase("cluster", "%d nodes in 3 zones of %s; gpu-c2 is tainted dedicated=gpu:NoSchedule; registry: %s",
        cluster.nodeCount(), DemoCluster.REGION, discovery.description());
    PlacementPhase.Result placement =
        new PlacementPhase(scheduler, cluster, new PlacementExplainer(cluster, scheduler.config(), infra.clock), console)
            .run(workloads, DemoCluster.oversizedBatchJob());
    story.placement(placement, workloads.stream().mapToInt(Workload::replicas).sum());
    int healthy = new DiscoveryPhase(discovery, runtime, infra, console).run();
    story.health(healthy, runtime.replicas().size());
    Waits.pause(options.pause());

    MeshPolicyPhase.Result policies = new MeshPolicyPhase(mesh, console).run(options.canaryRequests());
    story.mesh(policies);
    Waits.pause(options.pause());
    FaultPhase.Result fault = new FaultPhase(mesh, runtime, events, console, infra.ticker).run(options.faultRequests());
    story.fault(fault);
    Waits.pause(options.pause());

    orchestrator.start(); // from here on it also takes over sagas of dead nodes sharing the journal
    List<Scripted> orders = OrderScript.orders(options.orders());
    String failing = NodeFailurePhase.busiestNode(cluster);
    NodeFailurePhase nodeFailure = new NodeFailurePhase(scheduler, cluster, runtime, discovery, console, infra.ticker);
    AtomicReference<NodeFailurePhase.Result> failure = new AtomicReference<>();
    SagaPhase sagaPhase = new SagaPhase(orchestrator, placeOrder, console);
    SagaPhase.Result saga =
        sagaPhase.run(orders, 6, orders.size() * 2 / 5, () -> failure.set(unchecked(() -> nodeFailure.run(failing))),
            options.longRun() ? orders.size() / 10 : 0);
    LedgerCheck.Verdict ledger = LedgerCheck.check(orders, saga.results(), inventory, payment, shipping);
    console.detail("ledger: %d/%d orders' reservations, charges, refunds and shipments match their saga; %d charges applied "
            + "for %d charged orders; %d repeated requests answered from idempotency ledgers",
        ledger.consistent(), orders.size(), ledger.chargesApplied(), ledger.ordersCharged(), ledger.replays());
    new SagaStatusPrinter(orchestrator, console).show(saga);
    story.nodeFailure(failure.get());
    story.saga(saga, ledger);
    Waits.pause(options.pause());

    Report.Result report = new Report(observability, console)
        .run(Stream.concat(CALLEES.stream(), Stream.of("checkout")).toList(), TimeWindow.between(started, infra.clock.instant()));
    story.observability(report, Set.copyOf(CALLEES));
    DashboardFiles.Written files = DashboardFiles.write(output, infra.clock.instant(), report, story.checks());
    story.files(Files.size(files.json()) > 0 && Files.size(files.html()) > 0, files.json() + ", " + files.html());
    console.phase("dashboard", "%s", files.json());
    console.detail("%s  (open it in a browser)", files.html());

    Duration wall = Duration.between(started, infra.clock.instant());
    DemoResult result = new DemoResult(story.checks(), placement, healthy, policies, fault, failure.get(), saga, ledger,
        report, files.json(), files.html(), wall);
    console.phase("story", "%d/%d checks passed in %.1f s%s", result.checks().size() - result.failed().size(),
        result.checks().size(), wall.toMillis() / 1e3, result.exitCode() == 0 ? "" : "; MISSING:");
    result.failed().forEach(c -> console.detail("%s (%s)", c.name(), c.evidence()));
    return result;
  }

  private SagaOrchestrator sagaOrchestrator() {
    SagaConfig config =
        SagaConfig.builder()
            .execution(ExecutionConfig.builder()
                .timeout(Duration.ofSeconds(30))
                .stepTimeout(Duration.ofSeconds(10)) // above the mesh's own 8 s deadline: the mesh decides first
                .maxRetries(3)
                .retryBackoff(Backoff.fullJitter(Duration.ofMillis(50), 2, Duration.ofMillis(500)))
                .build())
            .compensation(CompensationConfig.builder()
                .compensationTimeout(Duration.ofSeconds(10))
                .compensationBackoff(Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(1)))
                .build())
            .build();
    return SagaOrchestrator.builder()
            .nodeId("checkout-1")
            .journal(journal)
            .serviceClient(mesh) // saga steps call services by name, through the mesh
            .config(config)
            .telemetry(telemetry)
            .ticker(infra.ticker)
            .clock(infra.clock)
            .scheduler(infra.timers)
            .random(infra.random)
            .executor(infra.work)
            .register(placeOrder)
            .build();
  }

  private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the journal of an earlier run: the demo counts only its own batch. */
  private static Path freshJournal(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the saga journal directory " + dir, e);
    }
  }

  @Override
  public void close() {
    // Null checks: close() also cleans up after a constructor that failed half-way.
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (journal != null) {
      journal.close();
    }
    if (runtime != null) {
      runtime.stopAll();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (observability != null) {
      observability.close();
    }
    infra.close();
  }
}
