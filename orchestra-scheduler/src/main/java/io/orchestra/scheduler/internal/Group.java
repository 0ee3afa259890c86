package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.WorkloadAffinityTerm;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The placements that share a workload name, labels and required anti-affinity terms (the
 * replicas of one template), counted per node. Inter-workload affinity, anti-affinity and spread
 * match selectors against a group's labels once, then read its per-node counts.
 *
 * <p>Counts are written under the store's lock and read racily by scheduling threads.
 */
final class Group {
  /** Identity of a group. */
  record Key(String workload, Map<String, String> labels, List<WorkloadAffinityTerm> antiAffinity) {}

  final Key key;
  volatile int[] perNode;
  /** Counts per zone value id, kept with the per-node counts so zone terms need no pass. */
  volatile int[] perZone = new int[8];
  volatile int total;

  Group(Key key, int capacity) {
    this.key = key;
    this.perNode = new int[capacity];
  }

  String workload() {
    return key.workload();
  }

  Map<String, String> labels() {
    return key.labels();
  }

  List<WorkloadAffinityTerm> antiAffinity() {
    return key.antiAffinity();
  }

  void addZone(int zone, int delta) {
    if (zone < 0) {
      return;
    }
    int[] z = perZone;
    if (zone >= z.length) {
      z = Arrays.copyOf(z, Math.max(zone + 1, z.length * 2));
      perZone = z;
    }
    z[zone] += delta;
  }

  void grow(int capacity) {
    if (perNode.length < capacity) {
      perNode = Arrays.copyOf(perNode, capacity);
    }
  }

  Group copy() {
    Group g = new Group(key, 0);
    g.perNode = perNode.clone();
    g.perZone = perZone.clone();
    g.total = total;
    return g;
  }
}
