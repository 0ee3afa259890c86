package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.time.Clocks;
import io.orchestra.scheduler.internal.StateStore;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as the scheduler sees it: nodes (fed by the application) and placements (made by
 * the scheduler, or registered by the application for containers it already runs). Every
 * placement reserves its request's resources on its node until it is removed.
 *
 * <p>Thread-safe. Mutations are serialised by one lock and are visible to schedulers at once;
 * reads that return lists or {@link NodeStatus} are consistent snapshots, each of one state of
 * the cluster however fast other threads change it (a {@link NodeStatus}'s usage is that of
 * exactly its placements). Two calls are two states: {@link #copy()} gives nodes and placements
 * of one. Node changes never
 * evict placements: a node made unhealthy or cordoned keeps its containers until the application
 * calls {@link WorkloadScheduler#handleNodeFailure} or {@link WorkloadScheduler#drain}.
 */
public final class ClusterState {
  private final StateStore store;

  /** An empty cluster whose placements are stamped with the system clock. */
  public ClusterState() {
    this(Clocks.system());
  }

  /** An empty cluster whose placements are stamped with {@code clock}. */
  public ClusterState(Clock clock) {
    this.store = new StateStore(Checks.notNull("clock", clock));
  }

  private ClusterState(StateStore store) {
    this.store = store;
  }

  /** A cluster of {@code nodes} stamped with {@code clock}. */
  public static ClusterState of(Clock clock, Collection<NodeInfo> nodes) {
    ClusterState state = new ClusterState(clock);
    Checks.noNulls("nodes", nodes).forEach(state::putNode);
    return state;
  }

  StateStore store() {
    return store;
  }

  /** A deep copy: changes to either never show in the other. */
  public ClusterState copy() {
    return new ClusterState(store.copy());
  }

  /**
   * Adds a node, or replaces the description of the node with the same id (its placements stay,
   * even if they no longer fit the new description).
   */
  public ClusterState putNode(NodeInfo node) {
    store.putNode(node);
    return this;
  }

  /**
   * Removes a node without placements.
   *
   * @return whether it existed
   * @throws IllegalStateException if placements remain on it
   */
  public boolean removeNode(String nodeId) {
    return store.removeNode(nodeId);
  }

  /**
   * Marks a node healthy or unhealthy; unhealthy nodes take no new placements.
   *
   * @throws IllegalArgumentException for an unknown node
   */
  public void setHealthy(String nodeId, boolean healthy) {
    Checks.argument(
        store.modifyNode(nodeId, n -> n.withHealthy(healthy)) != null, "nodeId %s is not a known node", nodeId);
  }

  /**
   * Cordons (true) or uncordons a node; cordoned nodes take no new placements.
   *
   * @throws IllegalArgumentException for an unknown node
   */
  public void setCordoned(String nodeId, boolean cordoned) {
    Checks.argument(
        store.modifyNode(nodeId, n -> n.withCordoned(cordoned)) != null, "nodeId %s is not a known node", nodeId);
  }

  /** The node's description and usage, if known. */
  public Optional<NodeStatus> node(String nodeId) {
    return Optional.ofNullable(store.nodeStatus(nodeId));
  }

  /** Every node with its usage, ordered by id. */
  public List<NodeStatus> nodes() {
    return store.nodes();
  }

  /** How many nodes are known. */
  public int nodeCount() {
    return store.nodeCount();
  }

  /**
   * Registers a container the application already runs (for example after a restart), reserving
   * its resources on the node even if they exceed what is left: they are in use. Status RUNNING.
   *
   * @throws IllegalArgumentException for an unknown node or a duplicate container id
   */
  public Placement register(String containerId, DeploymentRequest request, String nodeId) {
    return store.register(containerId, request, nodeId, Placement.Status.RUNNING);
  }

  /** Removes a placement and frees its resources, without touching the runtime. */
  public Optional<Placement> remove(String containerId) {
    return Optional.ofNullable(store.remove(containerId));
  }

  /**
   * Records the application's health report for a container (used to choose replicas to remove).
   *
   * @return whether the container is known
   */
  public boolean setContainerHealthy(String containerId, boolean healthy) {
    return store.update(containerId, p -> p.withHealthy(healthy)) != null;
  }

  /** The placement, if known. */
  public Optional<Placement> placement(String containerId) {
    return Optional.ofNullable(store.placement(containerId));
  }

  /** Every placement, oldest first. */
  public List<Placement> placements() {
    return store.placements();
  }

  /** The placements on a node, oldest first. */
  public List<Placement> placementsOn(String nodeId) {
    return store.placementsOn(nodeId);
  }

  /** The placements of a workload, oldest first. */
  public List<Placement> placementsOf(String workload) {
    return store.placementsOf(workload);
  }

  /**
   * Incremented by every change of the nodes and of which placements exist; equal versions mean
   * none of those changed in between. A placement's status and health ({@link
   * #setContainerHealthy}, RUNNING, TERMINATING) change without moving it: nothing a placement
   * decision depends on.
   */
  public long version() {
    return store.version();
  }

  @Override
  public String toString() {
    return "ClusterState[" + store.nodeCount() + " nodes, version " + store.version() + "]";
  }
}
