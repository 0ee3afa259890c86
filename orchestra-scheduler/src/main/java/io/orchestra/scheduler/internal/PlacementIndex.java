package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.Placement;
import java.util.ArrayList;
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
 * The placements of a {@link StateStore}, by container id, by slot and by workload, each with the
 * slot and {@link Group} it is counted in, and the sequence that orders them oldest first.
 *
 * <p>Separate from the nodes ({@link NodeInventory}) and the groups ({@link WorkloadGroups})
 * because nothing on the scheduling path reads it slot by slot: it answers "which containers"
 * questions (on a node, of a workload, by id) for removal, updates and snapshots. The counts the
 * filters read are kept by the other two; the store updates all three in one change.
 *
 * <p>Guarded by the store's one lock, which is passed in: every method asserts that the calling
 * thread holds it, except {@link #entry}, {@link #contains} and {@link #count()}, which read the
 * concurrent map by id without it.
 */
final class PlacementIndex {
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

  private final ReentrantLock lock;
  private final ConcurrentHashMap<String, Entry> byId;
  /** Container ids per slot (null for a slot that never held one): indexed, so no boxing. */
  private final ArrayList<LinkedHashSet<String>> bySlot;
  private final Map<String, LinkedHashSet<String>> byWorkload;
  private long sequence;

  /** No placements. */
  PlacementIndex(ReentrantLock lock) {
    this.lock = lock;
    this.byId = new ConcurrentHashMap<>();
    this.bySlot = new ArrayList<>();
    this.byWorkload = new HashMap<>();
  }

  /**
   * A deep copy of {@code o} (whose lock the caller holds), guarded by {@code lock}, whose entries
   * count in the copies of their groups.
   */
  PlacementIndex(PlacementIndex o, ReentrantLock lock, Map<Group, Group> groupCopies) {
    this.lock = lock;
    this.byId = new ConcurrentHashMap<>();
    o.byId.forEach(
        (id, e) -> byId.put(id, new Entry(e.placement, e.slot, groupCopies.get(e.group))));
    this.bySlot = new ArrayList<>(o.bySlot.size());
    o.bySlot.forEach(v -> bySlot.add(v == null ? null : new LinkedHashSet<>(v)));
    this.byWorkload = new HashMap<>();
    o.byWorkload.forEach((k, v) -> byWorkload.put(k, new LinkedHashSet<>(v)));
    this.sequence = o.sequence;
  }

  /** The placement's entry, or null. Lock-free. */
  Entry entry(String containerId) {
    return byId.get(containerId);
  }

  /** Whether the container is placed. Lock-free. */
  boolean contains(String containerId) {
    return byId.containsKey(containerId);
  }

  /** How many placements exist. Lock-free. */
  int count() {
    return byId.size();
  }

  /** The sequence number of the next placement. Under the lock. */
  long nextSequence() {
    assert lock.isHeldByCurrentThread();
    return ++sequence;
  }

  /** Indexes {@code p}, counted on {@code slot} in {@code group}. Under the lock. */
  void add(Placement p, int slot, Group group) {
    assert lock.isHeldByCurrentThread();
    String containerId = p.containerId();
    byId.put(containerId, new Entry(p, slot, group));
    LinkedHashSet<String> on = onSlot(slot);
    if (on == null) {
      while (bySlot.size() <= slot) {
        bySlot.add(null);
      }
      on = new LinkedHashSet<>();
      bySlot.set(slot, on);
    }
    on.add(containerId);
    byWorkload.computeIfAbsent(p.workload(), k -> new LinkedHashSet<>()).add(containerId);
  }

  /** Unindexes the placement; returns its entry, or null when unknown. Under the lock. */
  Entry remove(String containerId) {
    assert lock.isHeldByCurrentThread();
    Entry e = byId.remove(containerId);
    if (e == null) {
      return null;
    }
    LinkedHashSet<String> on = onSlot(e.slot);
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
    return e;
  }

  /**
   * Replaces a placement by {@code change(placement)}, which must keep its id, node and request;
   * null when unknown. Under the lock.
   */
  Placement update(String containerId, UnaryOperator<Placement> change) {
    assert lock.isHeldByCurrentThread();
    Entry e = byId.get(containerId);
    if (e == null) {
      return null;
    }
    Placement next = change.apply(e.placement);
    Checks.argument(
        next.containerId().equals(containerId)
            && next.nodeId().equals(e.placement.nodeId())
            && next.request() == e.placement.request(),
        "a placement update may change status and health only");
    byId.put(containerId, new Entry(next, e.slot, e.group));
    return next;
  }

  /** How many placements are on {@code slot}. Under the lock. */
  int countOn(int slot) {
    assert lock.isHeldByCurrentThread();
    LinkedHashSet<String> on = onSlot(slot);
    return on == null ? 0 : on.size();
  }

  /** Forgets the (empty) slot of a removed node. Under the lock. */
  void clearSlot(int slot) {
    assert lock.isHeldByCurrentThread();
    if (slot < bySlot.size()) {
      bySlot.set(slot, null);
    }
  }

  /** Moves the placements on {@code slot} from one zone to another in their groups' zone counts. Under the lock. */
  void moveZone(int slot, int oldZone, int newZone) {
    assert lock.isHeldByCurrentThread();
    LinkedHashSet<String> on = onSlot(slot);
    if (on != null) {
      for (String id : on) {
        Group g = byId.get(id).group;
        g.addZone(oldZone, -1);
        g.addZone(newZone, 1);
      }
    }
  }

  /** Every placement, oldest first. Under the lock. */
  List<Placement> all() {
    assert lock.isHeldByCurrentThread();
    List<Placement> list = new ArrayList<>(byId.size());
    byId.values().forEach(e -> list.add(e.placement));
    list.sort(Comparator.comparingLong(Placement::sequence));
    return list;
  }

  /** The placements on {@code slot} (-1: none), oldest first. Under the lock. */
  List<Placement> on(int slot) {
    assert lock.isHeldByCurrentThread();
    return collect(slot < 0 ? null : onSlot(slot));
  }

  /** The placements of {@code workload}, oldest first. Under the lock. */
  List<Placement> of(String workload) {
    assert lock.isHeldByCurrentThread();
    return collect(byWorkload.get(workload));
  }

  private LinkedHashSet<String> onSlot(int slot) {
    return slot < bySlot.size() ? bySlot.get(slot) : null;
  }

  private List<Placement> collect(Set<String> ids) {
    if (ids == null) {
      return List.of();
    }
    List<Placement> list = new ArrayList<>(ids.size());
    for (String id : ids) {
      list.add(byId.get(id).placement);
    }
    list.sort(Comparator.comparingLong(Placement::sequence));
    return list;
  }
}
