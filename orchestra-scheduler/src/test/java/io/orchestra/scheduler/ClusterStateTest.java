package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);

  private static final DeploymentRequest WEB =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 1)
          .requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", "web"), Topology.ZONE))
          .build();

  @Test
  void aNodeThatChangesZone_takesItsPlacementsAlongForZoneTerms() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.putNode(node("n2", "b", 4, 4096).build());
    cluster.putNode(node("n3", "b", 4, 4096).build());
    cluster.register("web-1", WEB, "n1");
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    assertThat(scheduler.feasibleNodes(WEB)).containsExactlyInAnyOrder("n2", "n3");

    cluster.putNode(node("n1", "b", 4, 4096).build()); // n1 (with web-1) now sits in zone b

    assertThat(scheduler.feasibleNodes(WEB)).isEmpty();
    assertThat(cluster.node("n1").orElseThrow().placements()).isEqualTo(1);
  }

  @Test
  void nodesGrowBeyondTheInitialCapacity_andSlotsAreReused() {
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    DeploymentRequest small = DeploymentRequest.builder("s").resources(1, 1).build();
    for (int i = 0; i < 100; i++) {
      cluster.putNode(node("n" + i, "z" + (i % 3), 1, 1).build());
      assertThat(Fixtures.join(scheduler.schedule(small)).success()).isTrue();
    }
    assertThat(cluster.nodes()).hasSize(100).allMatch(n -> n.placements() == 1);
    for (Placement p : cluster.placementsOn("n7")) {
      cluster.remove(p.containerId());
    }
    assertThat(cluster.removeNode("n7")).isTrue();
    assertThat(cluster.removeNode("n7")).isFalse();
    cluster.putNode(node("fresh", "z0", 1, 1).build());
    assertThat(scheduler.feasibleNodes(small)).containsExactly("fresh");
    assertThat(cluster.nodeCount()).isEqualTo(100);
  }

  @Test
  void copiesAreIndependent() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    cluster.register("web-1", WEB, "n1");
    ClusterState copy = cluster.copy();
    copy.remove("web-1");
    copy.putNode(node("n2", "b", 4, 4096).build());
    assertThat(cluster.placements()).hasSize(1);
    assertThat(cluster.nodes()).hasSize(1);
    assertThat(copy.placements()).isEmpty();
    assertThat(Fixtures.scheduler(cluster, time).build().feasibleNodes(WEB)).isEmpty();
    assertThat(Fixtures.scheduler(copy, time).build().feasibleNodes(WEB)).containsExactlyInAnyOrder("n1", "n2");
  }

  @Test
  void placementsCarryCreationTimeAndHealth() {
    cluster.putNode(node("n1", "a", 4, 4096).build());
    time.advance(Duration.ofSeconds(42));
    Placement p = cluster.register("web-1", WEB, "n1");
    assertThat(p.createdAt()).isEqualTo(time.instant());
    assertThat(p.status()).isEqualTo(Placement.Status.RUNNING);
    assertThat(cluster.setContainerHealthy("web-1", false)).isTrue();
    assertThat(cluster.placement("web-1").orElseThrow().healthy()).isFalse();
    assertThat(cluster.setContainerHealthy("nope", false)).isFalse();
    assertThat(cluster.placementsOf("web")).extracting(Placement::containerId).isEqualTo(List.of("web-1"));
  }

  @Test
  void hardSpread_ignoresZonesTheRequestCannotUse() {
    // zone c has only a tainted node: it must not hold zones a and b at a skew of 1
    cluster.putNode(node("a1", "a", 8, 8192).build());
    cluster.putNode(node("b1", "b", 8, 8192).build());
    cluster.putNode(node("c1", "c", 8, 8192).taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build());
    DeploymentRequest spread =
        DeploymentRequest.builder("s").resources(1, 1).spread(TopologySpreadConstraint.hard(1, Topology.ZONE)).build();
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    for (int i = 0; i < 6; i++) {
      assertThat(Fixtures.join(scheduler.schedule(spread)).success()).isTrue();
    }
    assertThat(cluster.node("a1").orElseThrow().placements()).isEqualTo(3);
    assertThat(cluster.node("b1").orElseThrow().placements()).isEqualTo(3);
  }
}
