package io.orchestra.scheduler;

/**
 * A user-supplied preference: a score from 0 (worst) to 100 (best) per feasible node, combined
 * with the built-in scores by weight. Register it with {@link
 * WorkloadScheduler.Builder#score(ScorePlugin, double)}; its weight can also be set in {@code
 * scheduling.scoreWeights} under its name.
 *
 * <p>Implementations must be thread-safe, fast and free of side effects, and must not keep the
 * {@link NodeView}. Values outside 0..100 are clamped; NaN counts as 0.
 */
public interface ScorePlugin {

  /** A short, stable name (the key of its weight in the configuration). */
  String name();

  /** The node's score for {@code request}, 0..100. */
  double score(DeploymentRequest request, NodeView node);
}
