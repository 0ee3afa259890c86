package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeStatus;
import io.orchestra.scheduler.Resources;
import io.orchestra.scheduler.Taint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The nodes of a {@link StateStore}: which slot each node id has and which slots are free, the
 * {@link NodeTable} row written from each node's description, the resources reserved on each slot
 * (capacity accounting), and how many nodes each zone has.
 *
 * <p>Separate from the placements ({@link PlacementIndex}) and the workload groups ({@link
 * WorkloadGroups}) because this is what the filter and score loops read slot by slot: it knows
 * slots and rows, not containers. The store composes the three into its operations.
 *
 * <p>Guarded by the store's one lock, which is passed in: every method that writes asserts that
 * the calling thread holds it, and the store brackets each write in its sequence lock. Scheduling
 * threads read {@link #table}, {@link #zoneIds()}, {@link #slotOf}, {@link #info} and {@link
 * #count()} without the lock; the volatile fields and the concurrent map make those reads safe,
 * and the store's version tells a reader whether what it read was one consistent state.
 */
final class NodeInventory {
  private static final int INITIAL_CAPACITY = 16;

  private final ReentrantLock lock;
  private final Symbols symbols;
  /** The rows; replaced (never shrunk) when the slots run out. */
  volatile NodeTable table;
  private final ConcurrentHashMap<String, Integer> slotsById;
  private final ArrayDeque<Integer> freeSlots;
  /** Per zone value id, how many nodes are in that zone (under the lock only). */
  private int[] zoneNodes = new int[16];
  /** The zone value ids with at least one node; replaced whole, so readers see a complete list. */
  private volatile int[] zoneIds = new int[0];

  /** No nodes; labels and taints are interned in {@code symbols}. */
  NodeInventory(ReentrantLock lock, Symbols symbols) {
    this.lock = lock;
    this.symbols = symbols;
    this.table = new NodeTable(INITIAL_CAPACITY, 8);
    this.slotsById = new ConcurrentHashMap<>();
    this.freeSlots = new ArrayDeque<>();
  }

  /** A deep copy of {@code o} (whose lock the caller holds), guarded by {@code lock}. */
  NodeInventory(NodeInventory o, ReentrantLock lock, Symbols symbols) {
    this.lock = lock;
    this.symbols = symbols;
    this.table = o.table.copy(o.table.capacity);
    this.slotsById = new ConcurrentHashMap<>(o.slotsById);
    this.freeSlots = new ArrayDeque<>(o.freeSlots);
    this.zoneNodes = o.zoneNodes.clone();
    this.zoneIds = o.zoneIds.clone();
  }

  /** The node's slot, or -1. Lock-free. */
  int slotOf(String nodeId) {
    Integer slot = slotsById.get(nodeId);
    return slot == null ? -1 : slot;
  }

  /** The node's description, or null. Lock-free. */
  NodeInfo info(String nodeId) {
    Integer slot = slotsById.get(nodeId);
    if (slot == null) {
      return null;
    }
    NodeInfo info = table.info[slot];
    return info != null && info.id().equals(nodeId) ? info : null;
  }

  /** How many nodes are known. Lock-free. */
  int count() {
    return slotsById.size();
  }

  /** The zone value id of {@code slot}, or -1. */
  int zone(int slot) {
    return table.value(Symbols.ZONE_KEY, slot);
  }

  /** The value ids of the zones that have nodes. Lock-free. */
  int[] zoneIds() {
    return zoneIds;
  }

  /**
   * A slot for a new node: a freed one, or the next one, growing the table (and {@code groups}'
   * per-node arrays, first) when the slots run out. Under the lock.
   */
  int allocate(WorkloadGroups groups) {
    assert lock.isHeldByCurrentThread();
    if (!freeSlots.isEmpty()) {
      return freeSlots.pop();
    }
    NodeTable t = table;
    int slot = t.size;
    if (slot == t.capacity) {
      int cap = t.capacity * 2;
      NodeTable grown = t.copy(cap);
      groups.grow(cap);
      // Group arrays grow before the table is published, so a reader of the new table never
      // indexes a group array that is too short.
      table = grown;
      t = grown;
    }
    t.size = slot + 1;
    return slot;
  }

  /**
   * Writes {@code node}'s row into {@code slot} and counts its zone.
   *
   * @param known whether the slot already holds this node (a replaced description)
   * @return the zone value id the slot had before, or -1
   */
  int write(int slot, NodeInfo node, boolean known) {
    assert lock.isHeldByCurrentThread();
    NodeTable t = table;
    int oldZone = known ? t.value(Symbols.ZONE_KEY, slot) : -1;
    if (known && t.info[slot].healthScore() < 1) {
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
    }
    return oldZone;
  }

  /**
   * Makes a written slot findable by its node id. Last step of adding a node, so that a lock-free
   * {@link #info} never finds a slot whose row is not written yet. Under the lock.
   */
  void bind(String nodeId, int slot) {
    assert lock.isHeldByCurrentThread();
    slotsById.put(nodeId, slot);
  }

  /** Forgets the node in {@code slot}: clears its row and frees the slot. Under the lock. */
  void clear(String nodeId, int slot) {
    assert lock.isHeldByCurrentThread();
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
    slotsById.remove(nodeId);
    freeSlots.push(slot);
  }

  /** Counts a placement of {@code r} on {@code slot}. Under the lock. */
  void reserve(int slot, Resources r) {
    assert lock.isHeldByCurrentThread();
    NodeTable t = table;
    t.usedCpu[slot] += r.cpu();
    t.usedMem[slot] += r.memory();
    t.usedSto[slot] += r.storage();
    t.usedNet[slot] += r.network();
    t.podCount[slot]++;
  }

  /** Uncounts a placement of {@code r} on {@code slot}. Under the lock. */
  void release(int slot, Resources r) {
    assert lock.isHeldByCurrentThread();
    NodeTable t = table;
    t.usedCpu[slot] = clampUsage(t.usedCpu[slot] - r.cpu());
    t.usedMem[slot] = clampUsage(t.usedMem[slot] - r.memory());
    t.usedSto[slot] = clampUsage(t.usedSto[slot] - r.storage());
    t.usedNet[slot] = clampUsage(t.usedNet[slot] - r.network());
    t.podCount[slot]--;
    if (t.podCount[slot] == 0) {
      // Recomputing from nothing removes the rounding drift of many additions and subtractions.
      t.usedCpu[slot] = t.usedMem[slot] = t.usedSto[slot] = t.usedNet[slot] = 0;
    }
  }

  /** A snapshot of the node in {@code slot}. Under the lock, so that it is consistent. */
  NodeStatus status(int slot) {
    assert lock.isHeldByCurrentThread();
    NodeTable t = table;
    Resources used = Resources.of(t.usedCpu[slot], t.usedMem[slot], t.usedSto[slot], t.usedNet[slot]);
    return new NodeStatus(t.info[slot], used, t.podCount[slot]);
  }

  /** Snapshots of every node, ordered by id. Under the lock. */
  List<NodeStatus> statuses() {
    assert lock.isHeldByCurrentThread();
    List<NodeStatus> list = new ArrayList<>(slotsById.size());
    for (int slot : slotsById.values()) {
      list.add(status(slot));
    }
    list.sort(Comparator.comparing(NodeStatus::id));
    return list;
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

  private static double clampUsage(double v) {
    return v < 1e-9 ? 0 : v;
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
}
