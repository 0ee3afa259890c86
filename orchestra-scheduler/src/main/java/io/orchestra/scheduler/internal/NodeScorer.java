package io.orchestra.scheduler.internal;

/**
 * One preference of the pipeline: a score from 0 to 100 per feasible node. {@link #addScores}
 * adds {@code weight * score} to each candidate's total; built-in scorers override it with their
 * own loop so that {@link #score} is inlined.
 *
 * <p>Stateless apart from configuration: per-request data lives in the {@link RequestContext}.
 */
abstract class NodeScorer {
  final String name;

  NodeScorer(String name) {
    this.name = name;
  }

  /** Whether the score can differ between nodes for this request (inactive scorers are skipped). */
  boolean active(RequestContext ctx) {
    return true;
  }

  /**
   * The weight this scorer adds to the normaliser when active ({@code weight} itself, unless the
   * scorer combines several scores with weights of their own).
   */
  double activeWeight(RequestContext ctx, double weight) {
    return weight;
  }

  /** The node's score, 0..100. */
  abstract double score(RequestContext ctx, int slot);

  /** Adds {@code weight * score} of each of the first {@code n} candidates to {@code totals}. */
  void addScores(RequestContext ctx, int[] slots, int n, double weight, double[] totals) {
    for (int i = 0; i < n; i++) {
      totals[i] += weight * score(ctx, slots[i]);
    }
  }
}
