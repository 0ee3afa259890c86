package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Group}s of a {@link StateStore}: one per set of placements that share a workload
 * name, labels and required anti-affinity, created by the first such placement and dropped with
 * the last, with the per-node and per-zone counts kept current at every commit and removal.
 *
 * <p>Separate from the placements ({@link PlacementIndex}) because compiled requests depend on
 * the set of groups, not on placements: {@link #version()} moves only when a group appears or
 * disappears, and a {@link CompiledRequest} compiled against one version stays valid until then.
 *
 * <p>Guarded by the store's one lock, which is passed in: every method that writes asserts that
 * the calling thread holds it. Scheduling threads read {@link #all()}, {@link #version()} and
 * the groups' counts without the lock (all volatile, published whole).
 */
final class WorkloadGroups {
  private final ReentrantLock lock;
  private final Map<Group.Key, Group> byKey;
  /** Every group; replaced whole when one appears or disappears. */
  private volatile Group[] all;
  private volatile int version;

  /** No groups. */
  WorkloadGroups(ReentrantLock lock) {
    this.lock = lock;
    this.byKey = new HashMap<>();
    this.all = new Group[0];
  }

  /**
   * A deep copy of {@code o} (whose lock the caller holds), guarded by {@code lock}; fills {@code
   * copies} with each group of {@code o} and its copy.
   */
  WorkloadGroups(WorkloadGroups o, ReentrantLock lock, Map<Group, Group> copies) {
    this.lock = lock;
    this.byKey = new HashMap<>();
    Group[] gs = new Group[o.all.length];
    for (int i = 0; i < gs.length; i++) {
      gs[i] = o.all[i].copy();
      copies.put(o.all[i], gs[i]);
      byKey.put(gs[i].key, gs[i]);
    }
    this.all = gs;
    this.version = o.version;
  }

  /** Every group. Lock-free. */
  Group[] all() {
    return all;
  }

  /** Moves when a group appears or disappears. Lock-free. */
  int version() {
    return version;
  }

  /** The group {@code request}'s placements count in, created with room for {@code capacity} slots when new. Under the lock. */
  Group of(DeploymentRequest request, int capacity) {
    assert lock.isHeldByCurrentThread();
    Group.Key key =
        new Group.Key(request.workload(), request.labels(), request.requiredAntiAffinity());
    Group g = byKey.get(key);
    if (g == null) {
      g = new Group(key, capacity);
      byKey.put(key, g);
      Group[] old = all;
      Group[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = g;
      all = grown;
      version++;
    }
    return g;
  }

  /** Counts a placement of {@code g} on {@code slot} in {@code zone} (-1 for none). Under the lock. */
  void count(Group g, int slot, int zone) {
    assert lock.isHeldByCurrentThread();
    int[] counts = g.perNode;
    counts[slot]++;
    g.addZone(zone, 1);
    g.total++;
  }

  /** Uncounts a placement of {@code g}; drops the group when it was the last. Under the lock. */
  void uncount(Group g, int slot, int zone) {
    assert lock.isHeldByCurrentThread();
    g.perNode[slot]--;
    g.addZone(zone, -1);
    g.total--;
    if (g.total == 0) {
      drop(g);
    }
  }

  /** Grows every group's per-node counts to {@code capacity} slots. Under the lock. */
  void grow(int capacity) {
    assert lock.isHeldByCurrentThread();
    for (Group g : all) {
      g.grow(capacity);
    }
  }

  private void drop(Group g) {
    byKey.remove(g.key);
    Group[] old = all;
    Group[] smaller = new Group[old.length - 1];
    int k = 0;
    for (Group x : old) {
      if (x != g) {
        smaller[k++] = x;
      }
    }
    all = smaller;
    version++;
  }
}
