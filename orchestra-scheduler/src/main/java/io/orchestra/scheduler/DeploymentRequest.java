package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.internal.RequestCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one container of a workload needs: resources, labels, and every placement constraint
 * (node selector, tolerations, node affinity, inter-workload affinity and anti-affinity,
 * topology spread). The same request is used for every replica of a workload; the scheduler
 * keeps a compiled form of it, so reusing one object for many placements is cheaper than
 * building equal copies.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(String)}; invalid values fail with
 * an {@link IllegalArgumentException} naming the field.
 */
public final class DeploymentRequest {
  static {
    RequestCache.install(
        new RequestCache.Access() {
          @Override
          public Object get(DeploymentRequest request) {
            return request.compiled;
          }

          @Override
          public void set(DeploymentRequest request, Object value) {
            request.compiled = value;
          }
        });
  }

  private final String workload;
  private final Map<String, String> labels;
  private final Resources resources;
  private final Map<String, String> nodeSelector;
  private final List<Toleration> tolerations;
  private final List<NodeSelectorTerm> requiredNodeAffinity;
  private final List<PreferredNodeTerm> preferredNodeAffinity;
  private final List<WorkloadAffinityTerm> requiredAffinity;
  private final List<PreferredWorkloadTerm> preferredAffinity;
  private final List<WorkloadAffinityTerm> requiredAntiAffinity;
  private final List<PreferredWorkloadTerm> preferredAntiAffinity;
  private final List<TopologySpreadConstraint> spreadConstraints;

  // The scheduler's compiled form, keyed by the cluster state it was compiled against.
  private volatile Object compiled;

  private DeploymentRequest(Builder b) {
    this.workload = Checks.notBlank("request.workload", b.workload);
    this.labels = Labels.copy("request.labels", b.labels);
    this.resources = Checks.notNull("request.resources", b.resources);
    this.nodeSelector = Labels.copy("request.nodeSelector", b.nodeSelector);
    this.tolerations = List.copyOf(Checks.noNulls("request.tolerations", b.tolerations));
    this.requiredNodeAffinity =
        List.copyOf(Checks.noNulls("request.requiredNodeAffinity", b.requiredNodeAffinity));
    this.preferredNodeAffinity =
        List.copyOf(Checks.noNulls("request.preferredNodeAffinity", b.preferredNodeAffinity));
    this.requiredAffinity = List.copyOf(Checks.noNulls("request.requiredAffinity", b.requiredAffinity));
    this.preferredAffinity =
        List.copyOf(Checks.noNulls("request.preferredAffinity", b.preferredAffinity));
    this.requiredAntiAffinity =
        List.copyOf(Checks.noNulls("request.requiredAntiAffinity", b.requiredAntiAffinity));
    this.preferredAntiAffinity =
        List.copyOf(Checks.noNulls("request.preferredAntiAffinity", b.preferredAntiAffinity));
    this.spreadConstraints =
        List.copyOf(Checks.noNulls("request.spreadConstraints", b.spreadConstraints));
  }

  /** A builder for a container of workload {@code workload} (its deployment name). */
  public static Builder builder(String workload) {
    return new Builder(workload);
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder(workload);
    b.labels.putAll(labels);
    b.resources = resources;
    b.nodeSelector.putAll(nodeSelector);
    b.tolerations.addAll(tolerations);
    b.requiredNodeAffinity.addAll(requiredNodeAffinity);
    b.preferredNodeAffinity.addAll(preferredNodeAffinity);
    b.requiredAffinity.addAll(requiredAffinity);
    b.preferredAffinity.addAll(preferredAffinity);
    b.requiredAntiAffinity.addAll(requiredAntiAffinity);
    b.preferredAntiAffinity.addAll(preferredAntiAffinity);
    b.spreadConstraints.addAll(spreadConstraints);
    return b;
  }

  /** The workload (deployment) name; replicas of a workload share it. */
  public String workload() {
    return workload;
  }

  /** The container's labels, which other workloads' affinity selectors see. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The resources to reserve on the node. */
  public Resources resources() {
    return resources;
  }

  /** Node labels that must be present with these values ({@code node}/{@code zone} allowed). */
  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  /** Taints this container tolerates. */
  public List<Toleration> tolerations() {
    return tolerations;
  }

  /** Node terms of which at least one must hold (empty: no requirement). */
  public List<NodeSelectorTerm> requiredNodeAffinity() {
    return requiredNodeAffinity;
  }

  /** Weighted node terms that raise a node's score. */
  public List<PreferredNodeTerm> preferredNodeAffinity() {
    return preferredNodeAffinity;
  }

  /** Inter-workload affinity terms that must all hold. */
  public List<WorkloadAffinityTerm> requiredAffinity() {
    return requiredAffinity;
  }

  /** Weighted inter-workload affinity terms that raise a node's score. */
  public List<PreferredWorkloadTerm> preferredAffinity() {
    return preferredAffinity;
  }

  /** Inter-workload anti-affinity terms that must all hold. */
  public List<WorkloadAffinityTerm> requiredAntiAffinity() {
    return requiredAntiAffinity;
  }

  /** Weighted inter-workload anti-affinity terms that lower a node's score. */
  public List<PreferredWorkloadTerm> preferredAntiAffinity() {
    return preferredAntiAffinity;
  }

  /** Topology spread constraints. */
  public List<TopologySpreadConstraint> spreadConstraints() {
    return spreadConstraints;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DeploymentRequest)) {
      return false;
    }
    DeploymentRequest r = (DeploymentRequest) o;
    return workload.equals(r.workload)
        && labels.equals(r.labels)
        && resources.equals(r.resources)
        && nodeSelector.equals(r.nodeSelector)
        && tolerations.equals(r.tolerations)
        && requiredNodeAffinity.equals(r.requiredNodeAffinity)
        && preferredNodeAffinity.equals(r.preferredNodeAffinity)
        && requiredAffinity.equals(r.requiredAffinity)
        && preferredAffinity.equals(r.preferredAffinity)
        && requiredAntiAffinity.equals(r.requiredAntiAffinity)
        && preferredAntiAffinity.equals(r.preferredAntiAffinity)
        && spreadConstraints.equals(r.spreadConstraints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workload, labels, resources, nodeSelector, tolerations, requiredAntiAffinity);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("DeploymentRequest[").append(workload).append(' ').append(resources);
    if (!labels.isEmpty()) {
      sb.append(" labels=").append(labels);
    }
    if (!nodeSelector.isEmpty()) {
      sb.append(" nodeSelector=").append(nodeSelector);
    }
    if (!tolerations.isEmpty()) {
      sb.append(" tolerations=").append(tolerations);
    }
    if (!requiredNodeAffinity.isEmpty()) {
      sb.append(" nodeAffinity=").append(requiredNodeAffinity);
    }
    if (!requiredAffinity.isEmpty()) {
      sb.append(" affinity=").append(requiredAffinity);
    }
    if (!requiredAntiAffinity.isEmpty()) {
      sb.append(" antiAffinity=").append(requiredAntiAffinity);
    }
    if (!spreadConstraints.isEmpty()) {
      sb.append(" spread=").append(spreadConstraints);
    }
    return sb.append(']').toString();
  }

  /** Builds a {@link DeploymentRequest}; not thread-safe. */
  public static final class Builder {
    private final String workload;
    private final Map<String, String> labels = new HashMap<>();
    private Resources resources = Resources.ZERO;
    private final Map<String, String> nodeSelector = new HashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<NodeSelectorTerm> requiredNodeAffinity = new ArrayList<>();
    private final List<PreferredNodeTerm> preferredNodeAffinity = new ArrayList<>();
    private final List<WorkloadAffinityTerm> requiredAffinity = new ArrayList<>();
    private final List<PreferredWorkloadTerm> preferredAffinity = new ArrayList<>();
    private final List<WorkloadAffinityTerm> requiredAntiAffinity = new ArrayList<>();
    private final List<PreferredWorkloadTerm> preferredAntiAffinity = new ArrayList<>();
    private final List<TopologySpreadConstraint> spreadConstraints = new ArrayList<>();

    private Builder(String workload) {
      this.workload = workload;
    }

    /** Adds a container label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Adds container labels. */
    public Builder labels(Map<String, String> values) {
      labels.putAll(values);
      return this;
    }

    /** The resources to reserve. */
    public Builder resources(Resources value) {
      this.resources = value;
      return this;
    }

    /** The resources to reserve: cpu and memory. */
    public Builder resources(double cpu, double memory) {
      return resources(Resources.of(cpu, memory));
    }

    /** The resources to reserve: all four. */
    public Builder resources(double cpu, double memory, double storage, double network) {
      return resources(Resources.of(cpu, memory, storage, network));
    }

    /** Adds a node selector pair. */
    public Builder nodeSelector(String key, String value) {
      nodeSelector.put(key, value);
      return this;
    }

    /** Adds node selector pairs. */
    public Builder nodeSelector(Map<String, String> values) {
      nodeSelector.putAll(values);
      return this;
    }

    /** Adds a toleration. */
    public Builder toleration(Toleration value) {
      tolerations.add(value);
      return this;
    }

    /** Adds a required node affinity term (terms are alternatives: one must hold). */
    public Builder requiredNodeAffinity(NodeSelectorTerm term) {
      requiredNodeAffinity.add(term);
      return this;
    }

    /** Adds a preferred node affinity term. */
    public Builder preferredNodeAffinity(int weight, NodeSelectorTerm term) {
      preferredNodeAffinity.add(new PreferredNodeTerm(weight, term));
      return this;
    }

    /** Adds a required inter-workload affinity term (all must hold). */
    public Builder requiredAffinity(WorkloadAffinityTerm term) {
      requiredAffinity.add(term);
      return this;
    }

    /** Adds a preferred inter-workload affinity term. */
    public Builder preferredAffinity(int weight, WorkloadAffinityTerm term) {
      preferredAffinity.add(new PreferredWorkloadTerm(weight, term));
      return this;
    }

    /** Adds a required inter-workload anti-affinity term (all must hold). */
    public Builder requiredAntiAffinity(WorkloadAffinityTerm term) {
      requiredAntiAffinity.add(term);
      return this;
    }

    /** Adds a preferred inter-workload anti-affinity term. */
    public Builder preferredAntiAffinity(int weight, WorkloadAffinityTerm term) {
      preferredAntiAffinity.add(new PreferredWorkloadTerm(weight, term));
      return this;
    }

    /** Adds a topology spread constraint. */
    public Builder spread(TopologySpreadConstraint constraint) {
      spreadConstraints.add(constraint);
      return this;
    }

    /** Validates and builds. */
    public DeploymentRequest build() {
      return new DeploymentRequest(this);
    }
  }
}
