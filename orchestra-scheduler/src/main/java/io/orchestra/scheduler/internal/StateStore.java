package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.Resources;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The mutable cluster state behind {@code ClusterState}: the lock, the sequence lock over it, the
 * interned symbols, and the operations that change nodes and placements.
 *
 * <p>The state itself lives in three parts, each one idea: {@link NodeInventory} (slots, the
 * {@link NodeTable} rows, reserved resources, zones), {@link PlacementIndex} (placements by id,
 * node and workload) and {@link WorkloadGroups} (the per-template counts inter-workload terms
 * read). An operation here usually touches more than one of them, which is why they share one
 * lock instead of having one each: {@link #lock} guards all three (and the {@link Symbols}), each
 * of them asserts it is held where it writes, and every change of any of them happens between
 * {@link #beginChange()} and the closing increment of {@link #version()}. The drains'
 * {@link Replacements} share the lock too, so that a node failure takes a placement and the
 * claim on replacing it in one step.
 *
 * <p>The scheduler reads without the lock and commits under it after checking that the version it
 * decided on is still current (or re-validating its choice when it is not). Read methods that
 * return snapshots take the lock so that a snapshot is consistent.
 */
public final class StateStore {
  /** Guards every part of the state: {@link #nodes}, {@link #placements}, {@link #groups}, {@link #symbols}. */
  final ReentrantLock lock = new ReentrantLock();
  final Symbols symbols;
  final Clock clock;
  final NodeInventory nodes;
  final PlacementIndex placements;
  final WorkloadGroups groups;
  /** Drains' replacements in flight; guarded by {@link #lock}, and not part of {@link #version()}. */
  final Replacements replacements;
  private volatile long version;
  /** Like {@link #version}, for node changes only (placements do not move it). */
  private volatile long nodesVersion;

  /** An empty state whose placements are stamped with {@code clock}. */
  public StateStore(Clock clock) {
    this.clock = Checks.notNull("clock", clock);
    this.symbols = new Symbols();
    this.nodes = new NodeInventory(lock, symbols);
    this.placements = new PlacementIndex(lock);
    this.groups = new WorkloadGroups(lock);
    this.replacements = new Replacements(lock, placements);
  }

  /** A deep copy of {@code o}, whose lock the caller holds. */
  private StateStore(StateStore o) {
    this.clock = o.clock;
    this.symbols = o.symbols.copy();
    this.nodes = new NodeInventory(o.nodes, lock, symbols);
    Map<Group, Group> groupCopies = new HashMap<>();
    this.groups = new WorkloadGroups(o.groups, lock, groupCopies);
    this.placements = new PlacementIndex(o.placements, lock, groupCopies);
    this.replacements = new Replacements(lock, placements); // nothing is in flight in a copy
    this.version = o.version;
    this.nodesVersion = o.nodesVersion;
  }

  /** A deep copy: changes to either never show in the other. */
  public StateStore copy() {
    lock.lock();
    try {
      return new StateStore(this);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- versions

  /**
   * A sequence lock: incremented when a mutation starts (odd while it runs) and when it ends, so
   * equal even readings before and after an unlocked read mean the read saw one consistent
   * state.
   */
  public long version() {
    return version;
  }

  /**
   * Opens a change under the lock: the version turns odd, and the fence keeps every write of the
   * change after it. Without the fence a plain write could become visible before the volatile
   * one that precedes it (the Java memory model allows that, and so do weakly ordered processors
   * such as ARM), and a reader could see part of a change while both its version reads agree.
   * The closing increment is a volatile write, which already orders the change before it.
   */
  private void beginChange() {
    version++;
    VarHandle.releaseFence();
  }

  /** {@link #beginChange()} for a change of the nodes: {@link #nodesVersion()} turns odd too. */
  private void beginNodeChange() {
    beginChange();
    nodesVersion++;
    VarHandle.releaseFence();
  }

  /**
   * Whether nothing changed since {@code version} was read, and no change was running then: the
   * unlocked reads made in between saw one consistent state.
   */
  boolean unchangedSince(long version) {
    // Keeps the unlocked data reads before this second version read (a seqlock's load fence).
    VarHandle.acquireFence();
    return (version & 1) == 0 && this.version == version;
  }

  /**
   * A sequence lock over the nodes alone: odd while {@link #putNode} or {@link #removeNode}
   * runs. What depends only on the nodes (not on placements) may be cached under it.
   */
  long nodesVersion() {
    return nodesVersion;
  }

  /** Whether no node changed since {@code nodesVersion} was read, and none was changing then. */
  boolean nodesUnchangedSince(long nodesVersion) {
    VarHandle.acquireFence();
    return (nodesVersion & 1) == 0 && this.nodesVersion == nodesVersion;
  }

  /** The node rows the filter and score loops read. Lock-free. */
  NodeTable table() {
    return nodes.table;
  }

  int groupsVersion() {
    return groups.version();
  }

  Group[] groups() {
    return groups.all();
  }

  // ---------------------------------------------------------------- nodes

  /** Adds a node or replaces the description of a known one (its placements stay). */
  public void putNode(NodeInfo node) {
    Checks.notNull("node", node);
    lock.lock();
    try {
      beginNodeChange(); // odd: a change is in progress (see version())
      int existing = nodes.slotOf(node.id());
      int slot = existing >= 0 ? existing : nodes.allocate(groups);
      int oldZone = nodes.write(slot, node, existing >= 0);
      int newZone = nodes.zone(slot);
      if (oldZone != newZone) {
        // The node moved zone: its placements move with it in the groups' zone counts.
        placements.moveZone(slot, oldZone, newZone);
      }
      if (existing < 0) {
        nodes.bind(node.id(), slot);
      }
      nodesVersion++;
      version++;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a node that holds no placements.
   *
   * @return whether the node existed
   * @throws IllegalStateException when placements remain on it
   */
  public boolean removeNode(String id) {
    lock.lock();
    try {
      int slot = nodes.slotOf(id);
      if (slot < 0) {
        return false;
      }
      int held = placements.countOn(slot);
      if (held > 0) {
        throw new IllegalStateException(
            "node " + id + " still holds " + held + " placements; fail or drain it first");
      }
      beginNodeChange(); // odd: a change is in progress (see version())
      nodes.clear(id, slot);
      placements.clearSlot(slot);
      nodesVersion++;
      version++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The node's description, or null. */
  public NodeInfo nodeInfo(String id) {
    return nodes.info(id);
  }

  /** A consistent snapshot of the node, or null. */
  public NodeStatus nodeStatus(String id) {
    lock.lock();
    try {
      int slot = nodes.slotOf(id);
      return slot < 0 ? null : nodes.status(slot);
    } finally {
      lock.unlock();
    }
  }

  /** Snapshots of every node, ordered by id. */
  public List<NodeStatus> nodes() {
    lock.lock();
    try {
      return nodes.statuses();
    } finally {
      lock.unlock();
    }
  }

  /** How many nodes are known. */
  public int nodeCount() {
    return nodes.count();
  }

  /** How many placements exist. */
  public int placementCount() {
    return placements.count();
  }

  /**
   * Replaces a node's description by {@code change(current)} atomically.
   *
   * @return the new description, or null for an unknown node
   */
  public NodeInfo modifyNode(String id, UnaryOperator<NodeInfo> change) {
    lock.lock();
    try {
      NodeInfo current = nodeInfo(id);
      if (current == null) {
        return null;
      }
      NodeInfo next = change.apply(current);
      Checks.argument(next.id().equals(id), "a node change must keep the id %s", id);
      putNode(next);
      return next;
    } finally {
      lock.unlock();
    }
  }

  int slotOf(String nodeId) {
    return nodes.slotOf(nodeId);
  }

  /** The value ids of the zones that have nodes. */
  int[] zoneIds() {
    return nodes.zoneIds();
  }

  // ---------------------------------------------------------------- placements

  /**
   * Records a placement on {@code slot}, reserving its resources. The caller holds the lock and
   * has checked feasibility (or is registering a container that already exists).
   */
  Placement commit(int slot, DeploymentRequest request, String containerId, Placement.Status status) {
    return commit(slot, request, null, containerId, status);
  }

  /**
   * {@link #commit(int, DeploymentRequest, String, Placement.Status)} with the request's compiled
   * form (or null), whose group is used when it is still current: no key to build and hash.
   */
  Placement commit(
      int slot, DeploymentRequest request, CompiledRequest compiled, String containerId, Placement.Status status) {
    assert lock.isHeldByCurrentThread();
    beginChange(); // odd: a change is in progress (see version())
    NodeTable t = nodes.table;
    Group group =
        compiled != null && compiled.store == this && compiled.ownGroup != null && compiled.groupsVersion == groups.version()
            ? compiled.ownGroup
            : groups.of(request, t.capacity);
    Placement p =
        new Placement(
            containerId, t.info[slot].id(), request, status, true, clock.instant(), placements.nextSequence());
    nodes.reserve(slot, request.resources());
    groups.count(group, slot, t.value(Symbols.ZONE_KEY, slot));
    placements.add(p, slot, group);
    version++;
    return p;
  }

  /**
   * Registers a container the application already runs on {@code nodeId}. Its resources are
   * counted even when they exceed what the node has left: they are in use.
   */
  public Placement register(
      String containerId, DeploymentRequest request, String nodeId, Placement.Status status) {
    Checks.notBlank("containerId", containerId);
    Checks.notNull("request", request);
    Checks.notNull("status", status);
    lock.lock();
    try {
      int slot = nodes.slotOf(Checks.notBlank("nodeId", nodeId));
      Checks.argument(slot >= 0, "nodeId %s is not a known node", nodeId);
      Checks.argument(
          !placements.contains(containerId), "containerId %s is already placed", containerId);
      return commit(slot, request, containerId, status);
    } finally {
      lock.unlock();
    }
  }

  /** Removes a placement and frees its resources; returns it, or null when unknown. */
  public Placement remove(String containerId) {
    lock.lock();
    try {
      replacements.forget(containerId);
      return removeLocked(containerId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a placement lost with its node, taking a drain's claim on replacing it in the same
   * step (see {@link Replacements}); null when unknown.
   */
  Replacements.Lost removeLost(String containerId) {
    lock.lock();
    try {
      Replacements.Replacement claim = replacements.take(containerId);
      Placement p = removeLocked(containerId);
      return p == null ? null : new Replacements.Lost(p, claim);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #remove} once the caller holds the lock (and has dealt with any claim). */
  private Placement removeLocked(String containerId) {
    if (!placements.contains(containerId)) {
      return null;
    }
    beginChange(); // odd: a change is in progress (see version())
    PlacementIndex.Entry e = placements.remove(containerId);
    Resources r = e.placement.resources();
    int slot = e.slot;
    nodes.release(slot, r);
    groups.uncount(e.group, slot, nodes.zone(slot));
    version++;
    return e.placement;
  }

  /** Replaces a placement by {@code change(placement)} (same id, node and request); null when unknown. */
  public Placement update(String containerId, UnaryOperator<Placement> change) {
    lock.lock();
    try {
      return placements.update(containerId, change);
    } finally {
      lock.unlock();
    }
  }

  /** The placement, or null. */
  public Placement placement(String containerId) {
    PlacementIndex.Entry e = placements.entry(containerId);
    return e == null ? null : e.placement;
  }

  boolean hasPlacement(String containerId) {
    return placements.contains(containerId);
  }

  /** Every placement, oldest first. */
  public List<Placement> placements() {
    lock.lock();
    try {
      return placements.all();
    } finally {
      lock.unlock();
    }
  }

  /** The placements on a node, oldest first (empty for an unknown node). */
  public List<Placement> placementsOn(String nodeId) {
    lock.lock();
    try {
      return placements.on(nodes.slotOf(nodeId));
    } finally {
      lock.unlock();
    }
  }

  /** The placements of a workload, oldest first. */
  public List<Placement> placementsOf(String workload) {
    lock.lock();
    try {
      return placements.of(workload);
    } finally {
      lock.unlock();
    }
  }
}
