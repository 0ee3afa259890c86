package io.orchestra.benchmarks.scheduler;

import io.orchestra.core.time.RandomSource;
import io.orchestra.scheduler.Algorithm;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.SchedulerConfig;
import io.orchestra.scheduler.SchedulingConfig;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Packing quality next to the throughput numbers: how many nodes each algorithm uses for one
 * fixed workload (the {@code basic} scenario's 50 workloads, 4 pods per node's worth of demand
 * placed into an empty 1,000-node cluster), and the mean cpu utilisation of the nodes in use.
 * Fewer nodes means better packing (cheaper clusters); more means more headroom per node.
 *
 * <p>Each algorithm runs with its default {@code percentageOfNodesToScore} (adaptive: a share of
 * the nodes for {@code multi_constraint}, every node for {@code bin_packing}), and beside it with
 * the other choice: {@code multi_constraint} scoring every node, {@code bin_packing} scoring the
 * adaptive share that {@code multi_constraint} uses at this cluster size.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.orchestra.benchmarks.scheduler.PackingQuality [nodes] [pods]}.
 */
public final class PackingQuality {
  private PackingQuality() {}

  /** Prints one line per algorithm. */
  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
    Scenario input = new Scenario("basic", nodes);
    double demand = 0;
    for (int i = 0; i < pods; i++) {
      demand += input.template(i).resources().cpu();
    }
    System.out.printf(
        Locale.ROOT,
        "%d pods (%.0f cpu) into %d nodes of 32 cpu: at least %d nodes needed%n",
        pods,
        demand,
        nodes,
        (int) Math.ceil(demand / 32));
    int adaptive = Math.max(SchedulingConfig.MIN_ADAPTIVE_PERCENTAGE, 50 - nodes / 125);
    Map<String, SchedulingConfig> configs = new LinkedHashMap<>();
    for (Algorithm algorithm : Algorithm.values()) {
      SchedulingConfig defaults = SchedulingConfig.builder().algorithm(algorithm).build();
      configs.put(algorithm.wireName(), defaults);
      if (algorithm == Algorithm.MULTI_CONSTRAINT) {
        configs.put(algorithm.wireName() + " 100 %", defaults.toBuilder().percentageOfNodesToScore(100).build());
      } else if (algorithm == Algorithm.BIN_PACKING) {
        configs.put(
            algorithm.wireName() + " " + adaptive + " %", defaults.toBuilder().percentageOfNodesToScore(adaptive).build());
      }
    }
    for (Map.Entry<String, SchedulingConfig> e : configs.entrySet()) {
      ClusterState cluster = new ClusterState();
      input.nodes.forEach(cluster::putNode);
      SchedulerConfig config = SchedulerConfig.builder().scheduling(e.getValue()).build();
      WorkloadScheduler scheduler =
          WorkloadScheduler.builder(cluster).config(config).random(RandomSource.seeded(1)).build();
      int failed = 0;
      for (int i = 0; i < pods; i++) {
        SchedulingResult r = scheduler.schedule(input.template(i)).toCompletableFuture().join();
        failed += r.success() ? 0 : 1;
      }
      int used = 0;
      double utilisation = 0;
      for (NodeStatus n : cluster.nodes()) {
        if (n.placements() > 0) {
          used++;
          utilisation += n.used().cpu() / n.info().allocatable().cpu();
        }
      }
      print("orchestra " + e.getKey(), used, utilisation / Math.max(1, used), failed);
    }
    SeedLiteralScheduler seed = new SeedLiteralScheduler(input.nodes);
    int failed = 0;
    for (int i = 0; i < pods; i++) {
      DeploymentRequest r = input.template(i);
      failed += seed.schedule(r) == null ? 1 : 0;
    }
    Set<SeedLiteralScheduler.Node> used = new HashSet<>();
    double utilisation = 0;
    for (SeedLiteralScheduler.Node n : seed.nodes) {
      if (!n.pods.isEmpty()) {
        used.add(n);
        utilisation += n.usedCpu / n.info.allocatable().cpu();
      }
    }
    print("seed literal", used.size(), utilisation / Math.max(1, used.size()), failed);
  }

  private static void print(String name, int used, double utilisation, int failed) {
    System.out.printf(
        Locale.ROOT, "%-34s nodes used %5d   mean cpu utilisation of used nodes %5.1f %%   unplaced %d%n", name, used, utilisation * 100, failed);
  }
}
