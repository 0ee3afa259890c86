package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  private final List<String> runtimeCalls = new ArrayList<>();
  private final List<CapacityRequest> asked = new ArrayList<>();
  private WorkloadScheduler scheduler;

  private static final DeploymentRequest API = DeploymentRequest.builder("api").label("app", "api").resources(1, 512).build();

  @BeforeEach
  void setUp() {
    cluster.putNode(node("n1", "a", 2, 2048).build());
    cluster.putNode(node("n2", "b", 2, 2048).build());
    cluster.register("api-1", API, "n1");
    cluster.register("api-2", API, "n1");
    cluster.register("api-3", API, "n2");
    ContainerRuntime recording =
        new ContainerRuntime() {
          @Override
          public CompletionStage<Void> create(Placement placement) {
            runtimeCalls.add("create " + placement.containerId());
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
            runtimeCalls.add("terminate " + placement.containerId());
            return CompletableFuture.completedFuture(null);
          }
        };
    scheduler = Fixtures.scheduler(cluster, time).runtime(recording).provisioner(asked::add).build();
  }

  @Test
  void whatIf_moreReplicasThanFit_reportsTheShortfallAndLeavesStateUntouched() {
    long version = cluster.version();
    List<NodeStatus> nodes = cluster.nodes();
    List<Placement> placements = cluster.placements();

    SimulationResult r = scheduler.simulate(List.of(ClusterChange.addReplicas(API, 3)));

    assertThat(r.placements()).hasSize(1);
    assertThat(r.placements().get(0).nodeId()).isEqualTo("n2");
    assertThat(r.unschedulable()).hasSize(2);
    assertThat(r.unschedulable().get(0).rejection("resources").nodes()).isEqualTo(2);
    assertThat(r.allPlaced()).isFalse();
    assertThat(r.nodesInUse()).isEqualTo(2);
    assertUntouched(version, nodes, placements);
  }

  @Test
  void whatIf_addANodeThenReplicas_usesTheNewNode() {
    long version = cluster.version();
    List<NodeStatus> nodes = cluster.nodes();
    List<Placement> placements = cluster.placements();

    SimulationResult r =
        scheduler.simulate(
            List.of(ClusterChange.addNode(node("n3", "c", 4, 4096).build()), ClusterChange.addReplicas(API, 4)));

    assertThat(r.allPlaced()).isTrue();
    assertThat(r.placements()).extracting(SimulationResult.SimulatedPlacement::nodeId)
        .containsOnly("n2", "n3")
        .filteredOn("n3"::equals)
        .hasSize(3);
    assertThat(r.nodes()).extracting(NodeStatus::id).containsExactly("n1", "n2", "n3");
    assertUntouched(version, nodes, placements);
  }

  @Test
  void whatIf_drainANode_movesItsPlacements() {
    long version = cluster.version();
    List<NodeStatus> nodes = cluster.nodes();
    List<Placement> placements = cluster.placements();

    SimulationResult r =
        scheduler.simulate(
            List.of(ClusterChange.addNode(node("n3", "c", 2, 2048).build()), ClusterChange.drainNode("n1")));

    assertThat(r.allPlaced()).isTrue();
    assertThat(r.placements()).hasSize(2).allMatch(p -> "n1".equals(p.movedFrom()) && !p.nodeId().equals("n1"));
    NodeStatus n1 = r.nodes().get(0);
    assertThat(n1.placements()).isZero();
    assertThat(n1.info().cordoned()).isTrue();
    assertUntouched(version, nodes, placements);
  }

  @Test
  void whatIf_failANode_reschedulesWhatFits() {
    SimulationResult r = scheduler.simulate(List.of(ClusterChange.failNode("n2")));
    assertThat(r.placements()).isEmpty(); // n1 is full
    assertThat(r.unschedulable()).hasSize(1);
    assertThat(r.nodes().get(1).info().healthy()).isFalse();
    assertThat(cluster.node("n2").orElseThrow().info().healthy()).isTrue();
  }

  @Test
  void whatIf_failOrDrainANode_doesNotReplaceContainersThatAreTerminating() {
    // as handleNodeFailure and drain do: a container being stopped is going away anyway
    cluster.store().update("api-1", p -> p.withStatus(Placement.Status.TERMINATING));
    long version = cluster.version();
    List<NodeStatus> nodes = cluster.nodes();
    List<Placement> placements = cluster.placements();

    for (ClusterChange change : List.of(ClusterChange.failNode("n1"), ClusterChange.drainNode("n1"))) {
      SimulationResult r = scheduler.simulate(List.of(change));
      assertThat(r.placements()).as("%s", change).hasSize(1).allMatch(p -> p.nodeId().equals("n2"));
      assertThat(r.unschedulable()).as("%s", change).isEmpty();
      assertThat(r.nodes().get(0).placements()).as("%s", change).isZero();
    }
    assertUntouched(version, nodes, placements);
  }

  @Test
  void whatIf_drawsNothingFromTheSchedulersRandomness() {
    // Two schedulers with the same seed over equal clusters make the same choices, whether or not
    // one of them ran a simulation in between.
    ClusterState twin = cluster.copy();
    WorkloadScheduler plain = Fixtures.scheduler(twin, time).build();
    for (int i = 0; i < 5; i++) {
      scheduler.simulate(List.of(ClusterChange.addNode(node("x" + i, "c", 8, 8192).build()), ClusterChange.addReplicas(API, 3)));
    }
    DeploymentRequest tiny = DeploymentRequest.builder("tiny").resources(0, 1).build();
    for (int i = 0; i < 5; i++) {
      SchedulingResult a = Fixtures.join(scheduler.schedule(tiny));
      SchedulingResult b = Fixtures.join(plain.schedule(tiny));
      assertThat(a.containerId()).isEqualTo(b.containerId());
      assertThat(a.nodeId()).isEqualTo(b.nodeId());
    }
  }

  @Test
  void whatIf_unknownNode_isAnError() {
    assertThatThrownBy(() -> scheduler.simulate(List.of(ClusterChange.drainNode("ghost"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ghost");
  }

  private void assertUntouched(long version, List<NodeStatus> nodes, List<Placement> placements) {
    assertThat(cluster.version()).isEqualTo(version);
    assertThat(cluster.nodes()).isEqualTo(nodes);
    assertThat(cluster.placements()).isEqualTo(placements);
    assertThat(runtimeCalls).isEmpty();
    assertThat(asked).isEmpty();
  }
}
