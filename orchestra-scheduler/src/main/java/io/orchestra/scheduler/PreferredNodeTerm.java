package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * A preferred node affinity term: nodes that satisfy {@code term} score higher, in proportion
 * to {@code weight}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param weight 1..100
 * @param term the node condition
 */
public record PreferredNodeTerm(int weight, NodeSelectorTerm term) {

  /** Validates. */
  public PreferredNodeTerm {
    Checks.inRange("preferredNodeTerm.weight", weight, 1, 100);
    Checks.notNull("preferredNodeTerm.term", term);
  }
}
