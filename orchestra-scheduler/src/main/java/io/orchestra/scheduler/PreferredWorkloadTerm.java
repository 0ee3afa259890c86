package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * A preferred inter-workload affinity or anti-affinity term with a weight.
 *
 * <p>Immutable and thread-safe.
 *
 * @param weight 1..100
 * @param term the workloads and topology
 */
public record PreferredWorkloadTerm(int weight, WorkloadAffinityTerm term) {

  /** Validates. */
  public PreferredWorkloadTerm {
    Checks.inRange("preferredWorkloadTerm.weight", weight, 1, 100);
    Checks.notNull("preferredWorkloadTerm.term", term);
  }
}
