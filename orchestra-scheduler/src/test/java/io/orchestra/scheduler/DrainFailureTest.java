package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node that fails while it is drained: each placement on it gets exactly one replacement,
 * whether the drain or the failure handler reaches it first, and still gets one when the drain's
 * replacement fails. The runtime's answers are held in futures the tests complete, so every
 * interleaving here is fixed.
 */
class DrainFailureTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  /** Every create call's answer, in call order; completed by the tests (or at once, see below). */
  private final List<CompletableFuture<Void>> creates = new CopyOnWriteArrayList<>();
  private final List<String> created = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> terminates = new CopyOnWriteArrayList<>();
  private volatile boolean createsAnswerAtOnce;
  private volatile boolean terminatesAnswerAtOnce = true;
  private volatile boolean terminatesOnN1Fail;
  /** The scheduler, for a filter plugin that needs it before it is built. */
  private final AtomicReference<WorkloadScheduler> built = new AtomicReference<>();

  private final ContainerRuntime runtime =
      Fixtures.runtime(
          p -> {
            created.add(p.containerId());
            CompletableFuture<Void> f = createsAnswerAtOnce ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            creates.add(f);
            return f;
          },
          (p, grace) -> {
            if (terminatesOnN1Fail && p.nodeId().equals("n1")) {
              return CompletableFuture.failedFuture(new IllegalStateException("n1 does not answer"));
            }
            CompletableFuture<Void> f = terminatesAnswerAtOnce ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            terminates.add(f);
            return f;
          });

  private static final DeploymentRequest API = DeploymentRequest.builder("api").resources(1, 256).build();

  /** One anti-affine replica per zone: a surge never fits, the drain must evict first. */
  private static final DeploymentRequest WEB =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 256)
          .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
          .build();

  private WorkloadScheduler scheduler() {
    return scheduler(Fixtures.scheduler(cluster, time));
  }

  private WorkloadScheduler scheduler(WorkloadScheduler.Builder b) {
    return b.runtime(runtime).build();
  }

  /** n1 (drained, then failed) holds api-1; n2 has room for its replacement. */
  private void apiOnN1() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("n2", "b", 4, 4096).build());
    cluster.register("api-1", API, "n1");
  }

  /** The replicas of {@code workload} that count (not terminating), none of them on n1. */
  private List<Placement> replicas(String workload) {
    List<Placement> all = cluster.placementsOf(workload);
    assertThat(all).noneMatch(p -> p.nodeId().equals("n1"));
    return all.stream().filter(p -> p.status() != Placement.Status.TERMINATING).toList();
  }

  @Test
  @DisplayName("drain first: the node fails while the surge replacement is created; the failure handler adopts it")
  void nodeFailsWhileTheSurgeIsCreated_oneReplacement() {
    apiOnN1();
    WorkloadScheduler scheduler = scheduler();
    CompletionStage<DrainSummary> drain = scheduler.drain("n1");
    assertThat(created).hasSize(1); // the surge replacement, being created

    CompletionStage<NodeFailureSummary> failure = scheduler.handleNodeFailure("n1");
    assertThat(created).as("replacements of api-1 in flight").hasSize(1);
    creates.forEach(f -> f.complete(null));

    NodeFailureSummary f = join(failure);
    DrainSummary d = join(drain);
    assertThat(replicas("api")).hasSize(1).allMatch(p -> p.status() == Placement.Status.RUNNING);
    assertThat(f.affectedContainers()).isEqualTo(1);
    assertThat(f.successfulReschedules()).isEqualTo(1);
    assertThat(f.reschedules().get(0).result().containerId()).isEqualTo(created.get(0));
    assertThat(d.moved()).isEqualTo(1);
    assertThat(d.complete()).isTrue();
  }

  @Test
  @DisplayName("failure first: the failure handler takes the placement while the drain decides where its surge goes")
  void nodeFailsWhileTheDrainDecidesItsSurge_oneReplacement() throws Exception {
    apiOnN1();
    createsAnswerAtOnce = true;
    ExecutorService reporter = Executors.newSingleThreadExecutor();
    AtomicBoolean reported = new AtomicBoolean();
    List<CompletionStage<NodeFailureSummary>> failure = new CopyOnWriteArrayList<>();
    // The drain's surge decision judges n2 with this filter: at that moment the node's failure is
    // reported (on another thread, as a failure detector would) and handled up to its return.
    FilterPlugin reportsTheFailure =
        new FilterPlugin() {
          @Override
          public String name() {
            return "reports_the_failure";
          }

          @Override
          public boolean accepts(DeploymentRequest request, NodeView node) {
            if (reported.compareAndSet(false, true)) {
              Future<?> handled = reporter.submit(() -> failure.add(built.get().handleNodeFailure("n1")));
              try {
                handled.get(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
            return true;
          }
        };
    built.set(scheduler(Fixtures.scheduler(cluster, time).filter(reportsTheFailure)));
    try {
      DrainSummary d = join(built.get().drain("n1"));
      NodeFailureSummary f = join(failure.get(0));

      assertThat(replicas("api")).hasSize(1);
      assertThat(created).as("replacements of api-1").hasSize(1);
      assertThat(f.affectedContainers()).isEqualTo(1);
      assertThat(f.successfulReschedules()).isEqualTo(1);
      assertThat(d.complete()).isTrue();
    } finally {
      reporter.shutdownNow();
    }
  }

  @Test
  @DisplayName("drain first, to its end: a replacement kept because the old container would not stop is not made again when the node fails")
  void drainKeptItsReplacement_thenNodeFails_noSecondReplacement() {
    apiOnN1();
    createsAnswerAtOnce = true;
    terminatesOnN1Fail = true;
    WorkloadScheduler scheduler = scheduler();
    DrainSummary d = join(scheduler.drain("n1"));
    assertThat(d.stayed()).isEqualTo(1); // api-1 runs on, its replacement too

    NodeFailureSummary f = join(scheduler.handleNodeFailure("n1"));

    assertThat(replicas("api")).hasSize(1);
    assertThat(created).as("replacements of api-1").hasSize(1);
    assertThat(f.successfulReschedules()).isEqualTo(1);
    assertThat(f.reschedules().get(0).result().containerId()).isEqualTo(created.get(0));
  }

  @Test
  @DisplayName("surge fails (launch): the failure handler waited for it, and replaces the placement itself")
  void surgeLaunchFailsAfterTheNodeFailed_failureHandlerReplaces() {
    apiOnN1();
    WorkloadScheduler scheduler = scheduler();
    CompletionStage<DrainSummary> drain = scheduler.drain("n1");
    CompletionStage<NodeFailureSummary> failure = scheduler.handleNodeFailure("n1");
    assertThat(created).as("replacements of api-1 in flight").hasSize(1);

    createsAnswerAtOnce = true;
    creates.get(0).completeExceptionally(new IllegalStateException("image pull failed"));

    NodeFailureSummary f = join(failure);
    join(drain);
    assertThat(replicas("api")).hasSize(1).allMatch(p -> p.status() == Placement.Status.RUNNING);
    assertThat(created).hasSize(2);
    assertThat(f.successfulReschedules()).isEqualTo(1);
    assertThat(f.reschedules().get(0).result().containerId()).isEqualTo(created.get(1));
  }

  @Test
  @DisplayName("surge fails (launch), the drain evicts, the node fails before the eviction ends: replaced, not lost")
  void surgeLaunchFails_nodeFailsDuringEviction_failureHandlerReplaces() {
    apiOnN1();
    terminatesAnswerAtOnce = false;
    WorkloadScheduler scheduler = scheduler();
    CompletionStage<DrainSummary> drain = scheduler.drain("n1");
    createsAnswerAtOnce = true;
    creates.get(0).completeExceptionally(new IllegalStateException("image pull failed"));
    assertThat(terminates).hasSize(1); // evicting api-1 first (maxUnavailable 1)

    CompletionStage<NodeFailureSummary> failure = scheduler.handleNodeFailure("n1");
    terminates.get(0).completeExceptionally(new IllegalStateException("n1 does not answer"));

    NodeFailureSummary f = join(failure);
    join(drain);
    assertThat(replicas("api")).hasSize(1);
    assertThat(f.successfulReschedules()).isEqualTo(1);
  }

  @Test
  @DisplayName("surge cannot be placed, the drain evicts, the node fails before the eviction ends: replaced, not lost")
  void surgeUnschedulable_nodeFailsDuringEviction_failureHandlerReplaces() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("a2", "a", 4, 4096).build());
    cluster.putNode(node("b1", "b", 4, 4096).build());
    cluster.register("web-a", WEB, "n1");
    cluster.register("web-b", WEB, "b1");
    createsAnswerAtOnce = true;
    terminatesAnswerAtOnce = false;
    WorkloadScheduler scheduler = scheduler();
    CompletionStage<DrainSummary> drain = scheduler.drain("n1");
    assertThat(created).isEmpty();
    assertThat(terminates).hasSize(1); // no surge fits beside web-a's zone: web-a is evicted first

    CompletionStage<NodeFailureSummary> failure = scheduler.handleNodeFailure("n1");
    terminates.get(0).completeExceptionally(new IllegalStateException("n1 does not answer"));

    NodeFailureSummary f = join(failure);
    join(drain);
    assertThat(replicas("web")).extracting(Placement::nodeId).containsExactlyInAnyOrder("a2", "b1");
    assertThat(f.affectedContainers()).isEqualTo(1);
    assertThat(f.successfulReschedules()).isEqualTo(1);
  }
}
