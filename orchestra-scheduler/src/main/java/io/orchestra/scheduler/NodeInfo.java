package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the application knows about one node: identity, zone, labels, taints, allocatable
 * resources and condition. The scheduler keeps the usage (placements) itself, in {@link
 * ClusterState}.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(String)}.
 *
 * @param id non-blank unique node id
 * @param zone the zone (failure domain), or empty when unknown (the node then belongs to no zone
 *     domain)
 * @param labels node labels; the keys {@code node} and {@code zone} are reserved (see {@link
 *     Topology})
 * @param taints the node's taints
 * @param allocatable what workloads may use in total
 * @param healthy false keeps every new workload off the node
 * @param cordoned true keeps every new workload off the node (maintenance), running ones stay
 * @param healthScore 0..1, how healthy the node looks (1 = perfect), used by the node health
 *     score
 */
public record NodeInfo(
    String id,
    String zone,
    Map<String, String> labels,
    List<Taint> taints,
    Resources allocatable,
    boolean healthy,
    boolean cordoned,
    double healthScore) {

  /** Validates every field, naming it. */
  public NodeInfo {
    Checks.notBlank("node.id", id);
    zone = zone == null ? "" : zone;
    labels = Labels.copy("node.labels", labels);
    for (String key : labels.keySet()) {
      Checks.argument(
          !Topology.isBuiltIn(key),
          "node.labels must not use the reserved key \"%s\" (node %s): set the node id or zone instead",
          key,
          id);
    }
    taints = List.copyOf(Checks.noNulls("node.taints", taints == null ? List.of() : taints));
    Checks.notNull("node.allocatable", allocatable);
    Checks.inRange("node.healthScore", healthScore, 0.0, 1.0);
  }

  /** The value of label {@code key}, the id for {@code node}, the zone for {@code zone}; or null. */
  public String label(String key) {
    if (Topology.NODE.equals(key)) {
      return id;
    }
    if (Topology.ZONE.equals(key)) {
      return zone.isEmpty() ? null : zone;
    }
    return labels.get(key);
  }

  /** The labels plus {@code node} and {@code zone} (when set), as selectors see them. */
  public Map<String, String> selectorLabels() {
    Map<String, String> all = new HashMap<>(labels);
    all.put(Topology.NODE, id);
    if (!zone.isEmpty()) {
      all.put(Topology.ZONE, zone);
    }
    return all;
  }

  /** Whether new workloads may be placed here at all (healthy and not cordoned). */
  public boolean schedulable() {
    return healthy && !cordoned;
  }

  /** A builder for a node with this id; healthy, not cordoned, health score 1, no resources. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this node's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id).zone(zone).labels(labels).allocatable(allocatable);
    b.taints.addAll(taints);
    return b.healthy(healthy).cordoned(cordoned).healthScore(healthScore);
  }

  /** A copy with {@code healthy} changed. */
  public NodeInfo withHealthy(boolean value) {
    return new NodeInfo(id, zone, labels, taints, allocatable, value, cordoned, healthScore);
  }

  /** A copy with {@code cordoned} changed. */
  public NodeInfo withCordoned(boolean value) {
    return new NodeInfo(id, zone, labels, taints, allocatable, healthy, value, healthScore);
  }

  /** Builds a {@link NodeInfo}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private String zone = "";
    private final Map<String, String> labels = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private Resources allocatable = Resources.ZERO;
    private boolean healthy = true;
    private boolean cordoned;
    private double healthScore = 1.0;

    private Builder(String id) {
      this.id = id;
    }

    /** The zone. */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** Adds one label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Adds labels. */
    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /** Adds a taint. */
    public Builder taint(Taint taint) {
      taints.add(taint);
      return this;
    }

    /** Adds a taint {@code key=value:effect}. */
    public Builder taint(String key, String value, TaintEffect effect) {
      return taint(Taint.of(key, value, effect));
    }

    /** Allocatable resources. */
    public Builder allocatable(Resources allocatable) {
      this.allocatable = allocatable;
      return this;
    }

    /** Allocatable resources. */
    public Builder allocatable(double cpu, double memory, double storage, double network) {
      return allocatable(Resources.of(cpu, memory, storage, network));
    }

    /** Whether the node is healthy. */
    public Builder healthy(boolean healthy) {
      this.healthy = healthy;
      return this;
    }

    /** Whether the node is cordoned. */
    public Builder cordoned(boolean cordoned) {
      this.cordoned = cordoned;
      return this;
    }

    /** Health score 0..1. */
    public Builder healthScore(double healthScore) {
      this.healthScore = healthScore;
      return this;
    }

    /** Validates and builds. */
    public NodeInfo build() {
      return new NodeInfo(id, zone, labels, taints, allocatable, healthy, cordoned, healthScore);
    }
  }
}
