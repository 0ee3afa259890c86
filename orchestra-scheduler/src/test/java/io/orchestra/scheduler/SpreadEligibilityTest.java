package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.join;
import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import org.junit.jupiter.api.Test;

/**
 * The domains a hard spread counts are cached per request between node changes; every node change
 * (a new zone, a cordon, a taint, a removal) must show in the next decision.
 */
class SpreadEligibilityTest {
  private final VirtualTime time = new VirtualTime();
  private final ClusterState cluster = new ClusterState(time);
  private final WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
  private final DeploymentRequest spread =
      DeploymentRequest.builder("web")
          .label("app", "web")
          .resources(1, 1)
          .spread(TopologySpreadConstraint.hard(1, Topology.ZONE))
          .build();

  private String zoneOfNext() {
    SchedulingResult r = join(scheduler.schedule(spread));
    assertThat(r.success()).as(r.error()).isTrue();
    return cluster.node(r.nodeId()).orElseThrow().info().zone();
  }

  @Test
  void nodeChanges_betweenDecisions_changeWhichZonesHoldTheSpreadBack() {
    cluster.putNode(node("a1", "a", 8, 8).build());
    cluster.putNode(node("b1", "b", 8, 8).build());
    cluster.putNode(node("c1", "c", 8, 8).build());
    assertThat(java.util.Set.of(zoneOfNext(), zoneOfNext(), zoneOfNext())).containsExactlyInAnyOrder("a", "b", "c");

    // Each step: a new, empty zone is seen by a decision (check), so it is the least used one;
    // then a change makes it unusable. A stale view would still count the empty zone as the
    // minimum and reject every other zone (each already one above it).
    cluster.putNode(node("d1", "d", 8, 8).build());
    assertThat(scheduler.check(spread)).isEmpty();
    cluster.putNode(node("d1", "d", 8, 8).cordoned(true).build());
    assertThat(zoneOfNext()).isIn("a", "b", "c");

    cluster.putNode(node("d1", "d", 8, 8).build()); // uncordoned: empty and eligible again
    assertThat(zoneOfNext()).isEqualTo("d");

    cluster.putNode(node("e1", "e", 8, 8).build());
    assertThat(scheduler.check(spread)).isEmpty();
    cluster.putNode(node("e1", "e", 8, 8).taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build());
    assertThat(zoneOfNext()).isIn("a", "b", "c", "d");

    cluster.putNode(node("g1", "g", 8, 8).build());
    assertThat(scheduler.check(spread)).isEmpty();
    assertThat(cluster.removeNode("g1")).isTrue();
    assertThat(zoneOfNext()).isIn("a", "b", "c", "d");
  }
}
