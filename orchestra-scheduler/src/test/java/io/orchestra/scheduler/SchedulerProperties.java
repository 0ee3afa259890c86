package io.orchestra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random clusters and random requests: the scheduler never over-commits, every placement it makes
 * satisfies every required constraint, and it finds a node exactly when the naive {@link
 * ReferenceModel} says one exists.
 */
class SchedulerProperties {

  private static final List<String> ZONES = List.of("a", "b", "c", "");
  private static final List<Taint> TAINTS =
      List.of(
          Taint.of("dedicated", "gpu", TaintEffect.NO_SCHEDULE),
          Taint.of("dedicated", "db", TaintEffect.NO_EXECUTE),
          Taint.of("spot", "", TaintEffect.PREFER_NO_SCHEDULE),
          Taint.of("maintenance", "", TaintEffect.NO_SCHEDULE));
  private static final List<String> APPS = List.of("web", "db", "cache", "batch");

  @Provide
  Arbitrary<NodeInfo> nodes() {
    Arbitrary<String> zone = Arbitraries.of(ZONES);
    Arbitrary<Double> cpu = Arbitraries.of(0.0, 2.0, 4.0, 8.0, 16.0);
    Arbitrary<Double> mem = Arbitraries.of(512.0, 2048.0, 8192.0);
    Arbitrary<Double> sto = Arbitraries.of(0.0, 10.0, 100.0);
    Arbitrary<String> disk = Arbitraries.of("ssd", "hdd", "-");
    Arbitrary<String> cores = Arbitraries.of("4", "8", "16", "x", "-");
    Arbitrary<String> rack = Arbitraries.of("r1", "r2", "r3", "-");
    Arbitrary<List<Taint>> taints = Arbitraries.of(TAINTS).list().ofMaxSize(2).uniqueElements();
    Arbitrary<Integer> flags = Arbitraries.integers().between(0, 9);
    return Combinators.combine(zone, cpu, mem, sto, disk, cores, rack, taints)
        .flatAs(
            (z, c, m, s, d, co, r, t) ->
                flags.map(
                    f -> {
                      NodeInfo.Builder b =
                          NodeInfo.builder("node").zone(z).allocatable(c, m, s, 0).healthy(f != 0).cordoned(f == 1);
                      if (!d.equals("-")) {
                        b.label("disk", d);
                      }
                      if (!co.equals("-")) {
                        b.label("cores", co);
                      }
                      if (!r.equals("-")) {
                        b.label("rack", r);
                      }
                      t.forEach(b::taint);
                      return b.build();
                    }));
  }

  @Provide
  Arbitrary<DeploymentRequest> requests() {
    Arbitrary<String> app = Arbitraries.of(APPS);
    Arbitrary<Double> cpu = Arbitraries.of(0.0, 0.25, 0.5, 1.0, 2.0, 3.0);
    Arbitrary<Double> mem = Arbitraries.of(0.0, 128.0, 512.0, 1024.0);
    Arbitrary<Double> sto = Arbitraries.of(0.0, 0.0, 5.0, 50.0);
    // Each constraint on about one request in six, so that many placements succeed.
    Arbitrary<Integer> shape =
        Combinators.combine(
                Arbitraries.integers().between(0, 1 << 12),
                Arbitraries.integers().between(0, 1 << 12),
                Arbitraries.integers().between(0, 1 << 12))
            .as((x, y, z) -> x & (y | z) & ~(y & z));
    Arbitrary<String> key = Arbitraries.of(Topology.NODE, Topology.ZONE, "rack", "row");
    Arbitrary<String> other = Arbitraries.of(APPS);
    Arbitrary<Integer> skew = Arbitraries.integers().between(1, 2);
    return Combinators.combine(app, cpu, mem, sto, shape, key, other, skew)
        .as(
            (a, c, m, s, bits, k, o, sk) -> {
              DeploymentRequest.Builder b = DeploymentRequest.builder(a).label("app", a).resources(c, m, s, 0);
              if ((bits & 1) != 0) {
                b.nodeSelector("disk", "ssd");
              }
              if ((bits & 2) != 0) {
                b.toleration(Toleration.equal("dedicated", "gpu", null));
              }
              if ((bits & 4) != 0) {
                b.toleration(Toleration.exists("maintenance", TaintEffect.NO_SCHEDULE));
              }
              if ((bits & 8) != 0) {
                b.requiredNodeAffinity(NodeSelectorTerm.of(LabelRequirement.gt("cores", 4)));
                b.requiredNodeAffinity(NodeSelectorTerm.of(LabelRequirement.doesNotExist("rack")));
              }
              if ((bits & 16) != 0) {
                b.requiredNodeAffinity(
                    NodeSelectorTerm.of(LabelRequirement.notIn("zone", "c"), LabelRequirement.exists("disk")));
              }
              if ((bits & 32) != 0) {
                b.requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", a), k));
              }
              if ((bits & 64) != 0) {
                b.requiredAntiAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", o), k));
              }
              if ((bits & 128) != 0) {
                b.requiredAffinity(WorkloadAffinityTerm.of(LabelSelector.matching("app", o), k));
              }
              if ((bits & 256) != 0) {
                b.spread(TopologySpreadConstraint.hard(sk, k));
              }
              if ((bits & 512) != 0) {
                b.spread(
                    new TopologySpreadConstraint(
                        sk, Topology.ZONE, TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE, LabelSelector.matching("app", o)));
              }
              if ((bits & 1024) != 0) {
                b.toleration(Toleration.everything());
              }
              return b.build();
            });
  }

  @Provide
  Arbitrary<List<NodeInfo>> clusters() {
    return nodes().list().ofMinSize(0).ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<DeploymentRequest>> workloads() {
    return requests().list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<Algorithm> algorithms() {
    return Arbitraries.of(Algorithm.values());
  }

  @Property(tries = 200)
  void placementsSatisfyEveryRequiredConstraintAndNeverOverCommit(
      @ForAll("clusters") List<NodeInfo> nodeShapes,
      @ForAll("workloads") List<DeploymentRequest> requests,
      @ForAll("algorithms") Algorithm algorithm,
      @ForAll @IntRange(min = 1, max = 2) int rounds,
      @ForAll long seed) {
    VirtualTime time = new VirtualTime();
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < nodeShapes.size(); i++) {
      NodeInfo shape = nodeShapes.get(i);
      cluster.putNode(
          new NodeInfo(
              "n" + i, shape.zone(), shape.labels(), shape.taints(), shape.allocatable(), shape.healthy(), shape.cordoned(), 1.0));
    }
    SchedulingConfig sc = SchedulingConfig.builder().algorithm(algorithm).build();
    WorkloadScheduler scheduler =
        WorkloadScheduler.builder(cluster)
            .config(SchedulerConfig.builder().scheduling(sc).build())
            .ticker(time)
            .clock(time)
            .timers(time)
            .random(RandomSource.seeded(seed))
            .build();
    for (int round = 0; round < rounds; round++) {
      for (DeploymentRequest r : requests) {
        ReferenceModel model = new ReferenceModel(cluster, sc);
        Set<String> expected = model.feasible(r);
        assertThat(new HashSet<>(scheduler.feasibleNodes(r))).as("feasible nodes for %s", r).isEqualTo(expected);
        SchedulingResult result = scheduler.schedule(r).toCompletableFuture().join();
        Statistics.label("outcome").collect(result.success() ? "placed" : "unschedulable");
        if (expected.isEmpty()) {
          assertThat(result.success()).isFalse();
          assertThat(result.unschedulable()).isNotNull();
          assertThat(result.unschedulable().nodes()).isEqualTo(cluster.nodeCount());
        } else {
          assertThat(result.success()).as("%s should fit one of %s: %s", r, expected, result.error()).isTrue();
          assertThat(expected).contains(result.nodeId());
        }
        assertThat(ReferenceModel.overCommitted(cluster)).isEmpty();
      }
    }
  }

  @Property(tries = 60)
  void fixesAreHonest_applyingTheTopResourceFixMakesItFit(
      @ForAll("clusters") List<NodeInfo> nodeShapes, @ForAll("requests") DeploymentRequest request) {
    VirtualTime time = new VirtualTime();
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < nodeShapes.size(); i++) {
      NodeInfo shape = nodeShapes.get(i);
      cluster.putNode(
          new NodeInfo("n" + i, shape.zone(), shape.labels(), shape.taints(), shape.allocatable(), shape.healthy(), shape.cordoned(), 1.0));
    }
    WorkloadScheduler scheduler = WorkloadScheduler.builder(cluster).ticker(time).clock(time).timers(time).build();
    Unschedulable why = scheduler.check(request).orElse(null);
    if (why == null) {
      return;
    }
    List<String> filtersThatRejectedSomething = new ArrayList<>();
    why.rejections().forEach(r -> filtersThatRejectedSomething.add(r.filter()));
    for (SuggestedFix fix : why.fixes()) {
      assertThat(fix.nodes()).isPositive();
      assertThat(filtersThatRejectedSomething).contains(fix.filter());
      if (fix.filter().equals("resources")) {
        // "request cpu <= 1 and memory <= 512": apply it and count the nodes that now fit
        Resources reduced = apply(request.resources(), fix.change());
        DeploymentRequest smaller = request.toBuilder().resources(reduced).build();
        assertThat(scheduler.feasibleNodes(smaller).size()).isGreaterThanOrEqualTo(fix.nodes());
      }
    }
  }

  private static Resources apply(Resources r, String change) {
    double[] v = {r.cpu(), r.memory(), r.storage(), r.network()};
    for (String part : change.substring("request ".length()).split(" and ")) {
      String[] kv = part.split(" <= ");
      v[ResourceKind.valueOf(kv[0].toUpperCase(java.util.Locale.ROOT)).ordinal()] = Double.parseDouble(kv[1]);
    }
    return Resources.of(v[0], v[1], v[2], v[3]);
  }
}
