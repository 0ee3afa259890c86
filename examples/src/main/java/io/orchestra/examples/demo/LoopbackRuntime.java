package io.orchestra.examples.demo;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.HealthCheck;
import io.orchestra.discovery.ServiceDiscovery;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.ContainerRuntime;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Placement;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The scheduler's {@link ContainerRuntime} for the demo: a "container" is a {@link ReplicaServer}
 * on loopback. Creating one starts its HTTP server and registers it with discovery (zone from
 * its node, labels {@code version} and {@code node}, an active HTTP health check); terminating
 * deregisters and stops it. {@link #crashNode} stops a node's servers without telling anyone,
 * the way a machine dies. Thread-safe.
 */
final class LoopbackRuntime implements ContainerRuntime {
  private final ClusterState cluster;
  private final ServiceDiscovery discovery;
  private final Map<String, ServiceLogic> logicByService;
  private final ServerTelemetry telemetry;
  private final Executor handlers;
  private final HealthCheck healthCheck;
  private final Map<String, ReplicaServer> replicas = new ConcurrentHashMap<>();
  private final Map<String, ServiceInstance> instances = new ConcurrentHashMap<>();

  LoopbackRuntime(
      ClusterState cluster,
      ServiceDiscovery discovery,
      List<ServiceLogic> services,
      ServerTelemetry telemetry,
      Executor handlers,
      HealthCheck healthCheck) {
    this.cluster = cluster;
    this.discovery = discovery;
    this.logicByService = new ConcurrentHashMap<>();
    services.forEach(s -> logicByService.put(s.service(), s));
    this.telemetry = telemetry;
    this.handlers = handlers;
    this.healthCheck = healthCheck;
  }

  @Override
  public CompletionStage<Void> create(Placement placement) {
    String service = placement.labels().get("app");
    String version = placement.labels().getOrDefault("version", "v1");
    ServiceLogic logic = logicByService.get(service);
    if (logic == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no service named " + service));
    }
    ReplicaServer server;
    try {
      server = ReplicaServer.start(placement.containerId(), version, logic, telemetry, handlers);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    replicas.put(placement.containerId(), server);
    String zone = cluster.node(placement.nodeId()).map(NodeStatus::info).map(n -> n.zone()).orElse("");
    ServiceInstance instance =
        ServiceInstance.builder(placement.containerId(), service)
            .address("127.0.0.1", server.port())
            .zone(zone)
            .region(DemoCluster.REGION)
            .label("version", version)
            .label("node", placement.nodeId())
            .build();
    instances.put(placement.containerId(), instance);
    if (!discovery.register(instance, healthCheck).success()) {
      server.close();
      replicas.remove(placement.containerId());
      instances.remove(placement.containerId());
      return CompletableFuture.failedFuture(new IllegalStateException("registry refused " + instance.id()));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
    forget(placement.containerId());
    return CompletableFuture.completedFuture(null);
  }

  /** Stops every server on {@code nodeId} without deregistering anything; returns their ids. */
  List<String> crashNode(String nodeId) {
    List<String> crashed = new ArrayList<>();
    for (Placement p : cluster.placementsOn(nodeId)) {
      ReplicaServer server = replicas.get(p.containerId());
      if (server != null) {
        server.close();
        crashed.add(p.containerId());
      }
    }
    return crashed;
  }

  /**
   * Deregisters and forgets a replica that died with its node (the scheduler does not call the
   * runtime for those; the application updates its registry from the failure summary).
   */
  void forget(String containerId) {
    discovery.deregister(containerId);
    instances.remove(containerId);
    ReplicaServer server = replicas.remove(containerId);
    if (server != null) {
      server.close();
    }
  }

  /** The discovery registration of the replica with this id, or null. */
  ServiceInstance instance(String containerId) {
    return instances.get(containerId);
  }

  /** Every replica this runtime started and has not forgotten. */
  List<ReplicaServer> replicas() {
    return List.copyOf(replicas.values());
  }

  /** The running replicas of {@code service}. */
  List<ReplicaServer> replicasOf(String service) {
    return replicas.values().stream().filter(r -> r.service().equals(service) && !r.stopped()).toList();
  }

  /** Deregisters and stops everything (the end of the demo). */
  void stopAll() {
    for (String id : List.copyOf(replicas.keySet())) {
      forget(id);
    }
  }
}
