package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * An inter-workload (pod) affinity or anti-affinity term: the workloads selected by {@code
 * selector}, counted per topology domain of {@code topologyKey} (see {@link Topology}).
 *
 * <p>As affinity, a node qualifies when its domain already runs a selected workload (the very
 * first replica of a workload that selects itself may go anywhere, as in Kubernetes). As
 * anti-affinity, a node qualifies when its domain runs none; a node without the topology key
 * qualifies for anti-affinity and not for affinity.
 *
 * <p>Immutable and thread-safe.
 *
 * @param selector which placed workloads count
 * @param topologyKey {@link Topology#NODE}, {@link Topology#ZONE} or a node label key
 */
public record WorkloadAffinityTerm(LabelSelector selector, String topologyKey) {

  /** Validates. */
  public WorkloadAffinityTerm {
    Checks.notNull("affinityTerm.selector", selector);
    Checks.notBlank("affinityTerm.topologyKey", topologyKey);
  }

  /** A term of {@code selector} over {@code topologyKey}. */
  public static WorkloadAffinityTerm of(LabelSelector selector, String topologyKey) {
    return new WorkloadAffinityTerm(selector, topologyKey);
  }

  @Override
  public String toString() {
    return selector + " per " + topologyKey;
  }
}
