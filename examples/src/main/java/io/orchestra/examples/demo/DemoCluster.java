package io.orchestra.examples.demo;

import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.LabelSelector;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.TaintEffect;
import io.orchestra.scheduler.Topology;
import io.orchestra.scheduler.WorkloadAffinityTerm;
import java.util.List;
import java.util.Map;

/**
 * The described cluster and what runs on it. Six nodes in three zones of one region: three with
 * the {@code pci=true} label payment needs, two smaller ones, and a GPU node tainted {@code
 * dedicated=gpu:NoSchedule} that none of the services tolerates. Units: cores, MiB, GiB, Mbit/s.
 */
final class DemoCluster {
  static final String REGION = "eu-west-1";

  private DemoCluster() {}

  /** One workload and how many replicas of it to run. */
  record Workload(DeploymentRequest request, int replicas) {
    String service() {
      return request.labels().get("app");
    }

    String version() {
      return request.labels().get("version");
    }
  }

  static List<NodeInfo> nodes() {
    return List.of(
        NodeInfo.builder("node-a1").zone("eu-west-1a").allocatable(4, 8192, 100, 1000).label("pci", "true").build(),
        NodeInfo.builder("node-a2").zone("eu-west-1a").allocatable(2, 4096, 50, 1000).build(),
        NodeInfo.builder("node-b1").zone("eu-west-1b").allocatable(4, 8192, 100, 1000).label("pci", "true").build(),
        NodeInfo.builder("node-b2").zone("eu-west-1b").allocatable(1, 2048, 20, 500).build(),
        NodeInfo.builder("node-c1").zone("eu-west-1c").allocatable(4, 8192, 100, 1000).label("pci", "true").build(),
        NodeInfo.builder("gpu-c2").zone("eu-west-1c").allocatable(16, 65536, 500, 10000)
            .taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build());
  }

  /** The services: three of inventory, two of payment v1 plus two of the canary v2, two of shipping. */
  static List<Workload> workloads() {
    DeploymentRequest paymentV1 =
        service("payment", "v1", 1, 1024)
            .nodeSelector("pci", "true")
            // Never two v1 payment replicas on one node: one node failure takes at most one.
            .requiredAntiAffinity(WorkloadAffinityTerm.of(
                LabelSelector.matching(Map.of("app", "payment", "version", "v1")), Topology.NODE))
            .build();
    // Two canary replicas on different nodes: a canary customer's retry has another v2 replica
    // to go to when a node dies (retries stay inside the route's subset).
    DeploymentRequest paymentCanary =
        DeploymentRequest.builder("payment-canary").label("app", "payment").label("version", "v2")
            .resources(1, 1024).nodeSelector("pci", "true")
            .requiredAntiAffinity(WorkloadAffinityTerm.of(
                LabelSelector.matching(Map.of("app", "payment", "version", "v2")), Topology.NODE))
            .build();
    return List.of(
        new Workload(service("inventory", "v1", 0.5, 512).build(), 3),
        new Workload(paymentV1, 2),
        new Workload(paymentCanary, 2),
        new Workload(service("shipping", "v1", 0.5, 512).build(), 2));
  }

  /** A batch job too large for every untainted node: the scheduler explains why it cannot run. */
  static DeploymentRequest oversizedBatchJob() {
    return DeploymentRequest.builder("nightly-report").label("app", "nightly-report").resources(6, 16384).build();
  }

  private static DeploymentRequest.Builder service(String name, String version, double cpu, double memoryMib) {
    return DeploymentRequest.builder(name).label("app", name).label("version", version).resources(cpu, memoryMib);
  }
}
