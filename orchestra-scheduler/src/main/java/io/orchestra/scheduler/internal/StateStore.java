package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.Resources;
import io.orchestra.scheduler.Taint;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The mutable cluster state behind {@code ClusterState}: nodes in a {@link NodeTable}, placements
 * by container id, per-group counts, interned symbols.
 *
 * <p>Every mutation takes the one lock and increments {@link #version()}; the scheduler reads
 * without the lock and commits under it after checking that the version it decided on is still
 * current (or re-validating its choice when it is not). Read methods that return snapshots take
 * the lock so that a snapshot is consistent.
 */
public final class StateStore {
  private static final int INITIAL_CAPACITY = 16;

  final ReentrantLock lock = new ReentrantLock();
  final Symbols symbols;
  final Clock clock;
  volatile NodeTable table;
  private volatile long version;
  /** Like {@link #version}, for node changes only (placements do not move it). */
  private volatile long nodesVersion;
  private final ConcurrentHashMap<String, Integer> slotsById;
  private final ArrayDeque<Integer> freeSlots;
  private final ConcurrentHashMap<String, Entry> placements;
  /** Container ids per slot (null for a slot that never held one): indexed, so no boxing. */
  private final ArrayList<LinkedHashSet<String>> bySlot;
  private final Map<String, LinkedHashSet<String>> byWorkload;
  private final Map<Group.Key, Group> groupsByKey;
  private volatile Group[] groups;
  /** Per zone value id, how many nodes are in that zone; and the ids with at least one. */
  private int[] zoneNodes = new int[16];
  private volatile int[] zoneIds = new int[0];
  private volatile int groupsVersion;
  private long sequence;

  /** A placement with the slot and group it is counted in. Immutable. */
  static final class Entry {
    final Placement placement;
    final int slot;
    final Group group;

    Entry(Placement placement, int slot, Group group) {
      this.placement = placement;
      this.slot = slot;
      this.group = group;
    }
  }

  /** An empty state whose placements are stamped with {@code clock}. */
  public StateStore(Clock clock) {
    this.clock = Checks.notNull("clock", clock);
    this.symbols = new Symbols();
    this.table = new NodeTable(INITIAL_CAPACITY, 8);
    this.slotsById = new ConcurrentHashMap<>();
    this.freeSlots = new ArrayDeque<>();
    this.placements = new ConcurrentHashMap<>();
    this.bySlot = new ArrayList<>();
    this.byWorkload = new HashMap<>();
    this.groupsByKey = new HashMap<>();
    this.groups = new Group[0];
  }

  private StateStore(StateStore o) {
    this.clock = o.clock;
    this.symbols = o.symbols.copy();
    this.table = o.table.copy(o.table.capacity);
    this.slotsById = new ConcurrentHashMap<>(o.slotsById);
    this.freeSlots = new ArrayDeque<>(o.freeSlots);
    this.groupsByKey = new HashMap<>();
    Map<Group, Group> copies = new HashMap<>();
    Group[] gs = new Group[o.groups.length];
    for (int i = 0; i < gs.length; i++) {
      gs[i] = o.groups[i].copy();
      copies.put(o.groups[i], gs[i]);
      groupsByKey.put(gs[i].key, gs[i]);
    }
    this.groups = gs;
    this.groupsVersion = o.groupsVersion;
    this.zoneNodes = o.zoneNodes.clone();
    this.zoneIds = o.zoneIds.clone();
    this.placements = new ConcurrentHashMap<>();
    o.placements.forEach(
        (id, e) -> placements.put(id, new Entry(e.placement, e.slot, copies.get(e.group))));
    this.bySlot = new ArrayList<>(o.bySlot.size());
    o.bySlot.forEach(v -> bySlot.add(v == null ? null : new LinkedHashSet<>(v)));
    this.byWorkload = new HashMap<>();
    o.byWorkload.forEach((k, v) -> byWorkload.put(k, new LinkedHashSet<>(v)));
    this.sequence = o.sequence;
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
    java.lang.invoke.VarHandle.releaseFence();
  }

  /**
   * Whether nothing changed since {@code version} was read, and no change was running then: the
   * unlocked reads made in between saw one consistent state.
   */
  boolean unchangedSince(long version) {
    // Keeps the unlocked data reads before this second version read (a seqlock's load fence).
    java.lang.invoke.VarHandle.acquireFence();
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
    java.lang.invoke.VarHandle.acquireFence();
    return (nodesVersion & 1) == 0 && this.nodesVersion == nodesVersion;
  }

  int groupsVersion() {
    return groupsVersion;
  }

  Group[] groups() {
    return groups;
  }

  // ---------------------------------------------------------------- nodes

  /** Adds a node or replaces the description of a known one (its placements stay). */
  public void putNode(NodeInfo node) {
    Checks.notNull("node", node);
    lock.lock();
    try {
      beginChange(); // odd: a change is in progress (see version())
      nodesVersion++;
      java.lang.invoke.VarHandle.releaseFence();
      Integer existing = slotsById.get(node.id());
      int slot = existing != null ? existing : allocateSlot();
      NodeTable t = table;
      int oldZone = existing == null ? -1 : t.value(Symbols.ZONE_KEY, slot);
      if (existing != null && t.info[slot].healthScore() < 1) {
        t.imperfectHealth--;
      }
      if (node.healthScore() < 1) {
        t.imperfectHealth++;
      }
      t.info[slot] = node;
      t.schedulable[slot] = node.schedulable();
      Resources a = node.allocatable();
      t.allocCpu[slot] = a.cpu();
      t.allocMem[slot] = a.memory();
      t.allocSto[slot] = a.storage();
      t.allocNet[slot] = a.network();
      t.invCpu[slot] = inverse(a.cpu());
      t.invMem[slot] = inverse(a.memory());
      t.invSto[slot] = inverse(a.storage());
      t.invNet[slot] = inverse(a.network());
      t.resourceMask[slot] =
          (byte) ((a.cpu() > 0 ? 1 : 0) | (a.memory() > 0 ? 2 : 0) | (a.storage() > 0 ? 4 : 0) | (a.network() > 0 ? 8 : 0));
      t.healthScore[slot] = node.healthScore();
      t.taints[slot] = internTaints(node.taints());
      t.tainted[slot] = !node.taints().isEmpty();
      t.clearValues(slot);
      t.setValue(Symbols.NODE_KEY, slot, symbols.internValue(node.id()));
      if (!node.zone().isEmpty()) {
        t.setValue(Symbols.ZONE_KEY, slot, symbols.internValue(node.zone()));
      }
      for (Map.Entry<String, String> e : node.labels().entrySet()) {
        t.setValue(symbols.internKey(e.getKey()), slot, symbols.internValue(e.getValue()));
      }
      int newZone = t.value(Symbols.ZONE_KEY, slot);
      if (oldZone != newZone) {
        countZoneNode(oldZone, -1);
        countZoneNode(newZone, 1);
        // The node moved zone: its placements move with it in the groups' zone counts.
        LinkedHashSet<String> on = onSlot(slot);
        if (on != null) {
          for (String id : on) {
            Group g = placements.get(id).group;
            g.addZone(oldZone, -1);
            g.addZone(newZone, 1);
          }
        }
      }
      if (existing == null) {
        slotsById.put(node.id(), slot);
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
      Integer slot = slotsById.get(id);
      if (slot == null) {
        return false;
      }
      LinkedHashSet<String> on = onSlot(slot);
      if (on != null && !on.isEmpty()) {
        throw new IllegalStateException(
            "node " + id + " still holds " + on.size() + " placements; fail or drain it first");
      }
      beginChange(); // odd: a change is in progress (see version())
      nodesVersion++;
      java.lang.invoke.VarHandle.releaseFence();
      NodeTable t = table;
      if (t.info[slot].healthScore() < 1) {
        t.imperfectHealth--;
      }
      countZoneNode(t.value(Symbols.ZONE_KEY, slot), -1);
      t.info[slot] = null;
      t.resourceMask[slot] = 0;
      t.schedulable[slot] = false;
      t.allocCpu[slot] = t.allocMem[slot] = t.allocSto[slot] = t.allocNet[slot] = 0;
      t.invCpu[slot] = t.invMem[slot] = t.invSto[slot] = t.invNet[slot] = 0;
      t.usedCpu[slot] = t.usedMem[slot] = t.usedSto[slot] = t.usedNet[slot] = 0;
      t.taints[slot] = NodeTable.NO_TAINTS;
      t.tainted[slot] = false;
      t.podCount[slot] = 0;
      t.clearValues(slot);
      slotsById.remove(id);
      if (slot < bySlot.size()) {
        bySlot.set(slot, null);
      }
      freeSlots.push(slot);
      nodesVersion++;
      version++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The node's description, or null. */
  public NodeInfo nodeInfo(String id) {
    Integer slot = slotsById.get(id);
    if (slot == null) {
      return null;
    }
    NodeInfo info = table.info[slot];
    return info != null && info.id().equals(id) ? info : null;
  }

  /** A consistent snapshot of the node, or null. */
  public NodeStatus nodeStatus(String id) {
    lock.lock();
    try {
      Integer slot = slotsById.get(id);
      return slot == null ? null : status(slot);
    } finally {
      lock.unlock();
    }
  }

  /** Snapshots of every node, ordered by id. */
  public List<NodeStatus> nodes() {
    lock.lock();
    try {
      List<NodeStatus> list = new ArrayList<>(slotsById.size());
      for (int slot : slotsById.values()) {
        list.add(status(slot));
      }
      list.sort(Comparator.comparing(NodeStatus::id));
      return list;
    } finally {
      lock.unlock();
    }
  }

  /** How many nodes are known. */
  public int nodeCount() {
    return slotsById.size();
  }

  /** How many placements exist. */
  public int placementCount() {
    return placements.size();
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
    Integer slot = slotsById.get(nodeId);
    return slot == null ? -1 : slot;
  }

  private NodeStatus status(int slot) {
    NodeTable t = table;
    Resources used = Resources.of(t.usedCpu[slot], t.usedMem[slot], t.usedSto[slot], t.usedNet[slot]);
    return new NodeStatus(t.info[slot], used, t.podCount[slot]);
  }

  /** The value ids of the zones that have nodes. */
  int[] zoneIds() {
    return zoneIds;
  }

  private void countZoneNode(int zone, int delta) {
    if (zone < 0) {
      return;
    }
    if (zone >= zoneNodes.length) {
      zoneNodes = Arrays.copyOf(zoneNodes, Math.max(zone + 1, zoneNodes.length * 2));
    }
    int before = zoneNodes[zone];
    zoneNodes[zone] += delta;
    if ((before == 0) != (zoneNodes[zone] == 0)) {
      int count = 0;
      for (int c : zoneNodes) {
        count += c > 0 ? 1 : 0;
      }
      int[] ids = new int[count];
      int k = 0;
      for (int z = 0; z < zoneNodes.length; z++) {
        if (zoneNodes[z] > 0) {
          ids[k++] = z;
        }
      }
      zoneIds = ids;
    }
  }

  private static double inverse(double allocatable) {
    return allocatable > 0 ? 1 / allocatable : 0;
  }

  private int[] internTaints(List<Taint> taints) {
    if (taints.isEmpty()) {
      return NodeTable.NO_TAINTS;
    }
    int[] ids = new int[taints.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = symbols.internTaint(taints.get(i));
    }
    return ids;
  }

  private int allocateSlot() {
    if (!freeSlots.isEmpty()) {
      return freeSlots.pop();
    }
    NodeTable t = table;
    int slot = t.size;
    if (slot == t.capacity) {
      int cap = t.capacity * 2;
      NodeTable grown = t.copy(cap);
      for (Group g : groups) {
        g.grow(cap);
      }
      // Group arrays grow before the table is published, so a reader of the new table never
      // indexes a group array that is too short.
      table = grown;
      t = grown;
    }
    t.size = slot + 1;
    return slot;
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
    beginChange(); // odd: a change is in progress (see version())
    NodeTable t = table;
    Group group =
        compiled != null && compiled.store == this && compiled.ownGroup != null && compiled.groupsVersion == groupsVersion
            ? compiled.ownGroup
            : groupFor(request);
    Placement p =
        new Placement(
            containerId, t.info[slot].id(), request, status, true, clock.instant(), ++sequence);
    Resources r = request.resources();
    t.usedCpu[slot] += r.cpu();
    t.usedMem[slot] += r.memory();
    t.usedSto[slot] += r.storage();
    t.usedNet[slot] += r.network();
    t.podCount[slot]++;
    int[] counts = group.perNode;
    counts[slot]++;
    group.addZone(t.value(Symbols.ZONE_KEY, slot), 1);
    group.total++;
    placements.put(containerId, new Entry(p, slot, group));
    LinkedHashSet<String> on = onSlot(slot);
    if (on == null) {
      while (bySlot.size() <= slot) {
        bySlot.add(null);
      }
      on = new LinkedHashSet<>();
      bySlot.set(slot, on);
    }
    on.add(containerId);
    byWorkload.computeIfAbsent(request.workload(), k -> new LinkedHashSet<>()).add(containerId);
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
      Integer slot = slotsById.get(Checks.notBlank("nodeId", nodeId));
      Checks.argument(slot != null, "nodeId %s is not a known node", nodeId);
      Checks.argument(
          !placements.containsKey(containerId), "containerId %s is already placed", containerId);
      return commit(slot, request, containerId, status);
    } finally {
      lock.unlock();
    }
  }

  /** Removes a placement and frees its resources; returns it, or null when unknown. */
  public Placement remove(String containerId) {
    lock.lock();
    try {
      Entry e = placements.get(containerId);
      if (e == null) {
        return null;
      }
      beginChange(); // odd: a change is in progress (see version())
      placements.remove(containerId);
      NodeTable t = table;
      Resources r = e.placement.resources();
      int slot = e.slot;
      t.usedCpu[slot] = clampUsage(t.usedCpu[slot] - r.cpu());
      t.usedMem[slot] = clampUsage(t.usedMem[slot] - r.memory());
      t.usedSto[slot] = clampUsage(t.usedSto[slot] - r.storage());
      t.usedNet[slot] = clampUsage(t.usedNet[slot] - r.network());
      t.podCount[slot]--;
      if (t.podCount[slot] == 0) {
        // Recomputing from nothing removes the rounding drift of many additions and subtractions.
        t.usedCpu[slot] = t.usedMem[slot] = t.usedSto[slot] = t.usedNet[slot] = 0;
      }
      Group g = e.group;
      g.perNode[slot]--;
      g.addZone(t.value(Symbols.ZONE_KEY, slot), -1);
      g.total--;
      if (g.total == 0) {
        dropGroup(g);
      }
      LinkedHashSet<String> on = onSlot(slot);
      if (on != null) {
        on.remove(containerId);
      }
      LinkedHashSet<String> of = byWorkload.get(e.placement.workload());
      if (of != null) {
        of.remove(containerId);
        if (of.isEmpty()) {
          byWorkload.remove(e.placement.workload());
        }
      }
      version++;
      return e.placement;
    } finally {
      lock.unlock();
    }
  }

  /** The container ids on {@code slot}, or null. Under the lock. */
  private LinkedHashSet<String> onSlot(int slot) {
    return slot < bySlot.size() ? bySlot.get(slot) : null;
  }

  private static double clampUsage(double v) {
    return v < 1e-9 ? 0 : v;
  }

  /** Replaces a placement by {@code change(placement)} (same id, node and request); null when unknown. */
  public Placement update(String containerId, UnaryOperator<Placement> change) {
    lock.lock();
    try {
      Entry e = placements.get(containerId);
      if (e == null) {
        return null;
      }
      Placement next = change.apply(e.placement);
      Checks.argument(
          next.containerId().equals(containerId)
              && next.nodeId().equals(e.placement.nodeId())
              && next.request() == e.placement.request(),
          "a placement update may change status and health only");
      placements.put(containerId, new Entry(next, e.slot, e.group));
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** The placement, or null. */
  public Placement placement(String containerId) {
    Entry e = placements.get(containerId);
    return e == null ? null : e.placement;
  }

  boolean hasPlacement(String containerId) {
    return placements.containsKey(containerId);
  }

  /** Every placement, oldest first. */
  public List<Placement> placements() {
    lock.lock();
    try {
      List<Placement> list = new ArrayList<>(placements.size());
      placements.values().forEach(e -> list.add(e.placement));
      list.sort(Comparator.comparingLong(Placement::sequence));
      return list;
    } finally {
      lock.unlock();
    }
  }

  /** The placements on a node, oldest first (empty for an unknown node). */
  public List<Placement> placementsOn(String nodeId) {
    lock.lock();
    try {
      Integer slot = slotsById.get(nodeId);
      LinkedHashSet<String> ids = slot == null ? null : onSlot(slot);
      return collect(ids);
    } finally {
      lock.unlock();
    }
  }

  /** The placements of a workload, oldest first. */
  public List<Placement> placementsOf(String workload) {
    lock.lock();
    try {
      return collect(byWorkload.get(workload));
    } finally {
      lock.unlock();
    }
  }

  private List<Placement> collect(Set<String> ids) {
    if (ids == null) {
      return List.of();
    }
    List<Placement> list = new ArrayList<>(ids.size());
    for (String id : ids) {
      list.add(placements.get(id).placement);
    }
    list.sort(Comparator.comparingLong(Placement::sequence));
    return list;
  }

  // ---------------------------------------------------------------- groups

  private Group groupFor(DeploymentRequest request) {
    Group.Key key =
        new Group.Key(request.workload(), request.labels(), request.requiredAntiAffinity());
    Group g = groupsByKey.get(key);
    if (g == null) {
      g = new Group(key, table.capacity);
      groupsByKey.put(key, g);
      Group[] old = groups;
      Group[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = g;
      groups = grown;
      groupsVersion++;
    }
    return g;
  }

  private void dropGroup(Group g) {
    groupsByKey.remove(g.key);
    Group[] old = groups;
    Group[] smaller = new Group[old.length - 1];
    int k = 0;
    for (Group x : old) {
      if (x != g) {
        smaller[k++] = x;
      }
    }
    groups = smaller;
    groupsVersion++;
  }
}
