package io.orchestra.scheduler;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code scheduling} section: algorithm, resource weights and which constraint
 * families are enforced, plus the score weights that replace the seed's fixed factors.
 *
 * <p>Score names: {@code resource_target}, {@code least_allocated}, {@code most_allocated},
 * {@code balanced_allocation}, {@code node_affinity}, {@code workload_affinity}, {@code
 * taint_toleration}, {@code topology_spread}, {@code default_spread}, {@code node_health}, plus
 * the names of registered {@link ScorePlugin}s. Every score is 0..100; the total is the weighted
 * mean (weights divided by their sum), so it is 0..100 too. A weight of 0 turns a score off.
 *
 * <p>Immutable and thread-safe.
 *
 * @param algorithm how to choose among feasible nodes; default {@code multi_constraint}
 * @param resourceWeights resource weights for utilisation averages; default the seed's
 * @param affinityRules whether node affinity and inter-workload affinity are enforced; default
 *     true
 * @param antiAffinityRules whether inter-workload anti-affinity is enforced; default true
 * @param taints whether taints and tolerations are honoured; default true
 * @param targetUtilization the utilisation the {@code resource_target} score prefers; default
 *     0.75 (the seed's "prefer 70-80%")
 * @param scoreWeights overrides of the algorithm's default score weights; default none
 * @param optimisticAttempts decisions made without the lock before one is made under it, when
 *     concurrent schedulers keep invalidating each other; default 3
 * @param runtimeTimeout how long container creation may take before the reservation is released;
 *     default 5 minutes
 * @param percentageOfNodesToScore how much of the cluster a decision looks for feasible nodes
 *     before it stops filtering and scores what it found, as Kubernetes' setting of that name: 1
 *     to 99 percent of the nodes (at least {@value #MIN_NODES_TO_FIND}), 100 to filter and score
 *     every node, 0 (the default) for the adaptive share: {@code 50 - nodes / 125} percent with a
 *     floor of 5 for {@code multi_constraint} (10 % at 5,000 nodes), every node for {@code
 *     bin_packing} (a sample would open new nodes instead of filling used ones). The search
 *     starts where the previous one stopped, so every node is considered over time; clusters of
 *     fewer than {@value #MIN_NODES_TO_FIND} nodes are always searched in full, and when fewer
 *     nodes fit than the share asks for, every node is examined.
 */
@JsonDeserialize(builder = SchedulingConfig.Builder.class)
public record SchedulingConfig(
    Algorithm algorithm,
    ResourceWeights resourceWeights,
    boolean affinityRules,
    boolean antiAffinityRules,
    boolean taints,
    double targetUtilization,
    Map<String, Double> scoreWeights,
    int optimisticAttempts,
    Duration runtimeTimeout,
    int percentageOfNodesToScore) {

  /** Below this many nodes, and at least this many feasible nodes, a decision always looks for. */
  public static final int MIN_NODES_TO_FIND = 100;

  /** The adaptive share's floor, in percent. */
  public static final int MIN_ADAPTIVE_PERCENTAGE = 5;

  /** Names of the built-in scores. */
  public static final List<String> BUILT_IN_SCORES =
      List.of(
          "resource_target",
          "least_allocated",
          "most_allocated",
          "balanced_allocation",
          "node_affinity",
          "workload_affinity",
          "taint_toleration",
          "topology_spread",
          "default_spread",
          "node_health");

  /** Validates every field, naming it. */
  public SchedulingConfig {
    Checks.notNull("scheduling.algorithm", algorithm);
    Checks.notNull("scheduling.resourceWeights", resourceWeights);
    Checks.inRange("scheduling.targetUtilization", targetUtilization, 0.0, 1.0);
    scoreWeights = Map.copyOf(Checks.notNull("scheduling.scoreWeights", scoreWeights));
    for (Map.Entry<String, Double> e : scoreWeights.entrySet()) {
      Checks.nonNegative("scheduling.scoreWeights." + e.getKey(), e.getValue());
    }
    Checks.inRange("scheduling.optimisticAttempts", optimisticAttempts, 0, 100);
    Checks.positive("scheduling.runtimeTimeout", runtimeTimeout);
    Checks.inRange("scheduling.percentageOfNodesToScore", percentageOfNodesToScore, 0, 100);
  }

  /**
   * How many feasible nodes a decision looks for in a cluster of {@code nodes} before it stops
   * filtering (Kubernetes' {@code numFeasibleNodesToFind}); {@code nodes} itself means search
   * everything.
   */
  public int nodesToFind(int nodes) {
    int percentage = percentageOfNodesToScore;
    if (percentage == 0) {
      if (algorithm != Algorithm.MULTI_CONSTRAINT) {
        return nodes; // bin packing compares every node; round robin takes the first that fits
      }
      percentage = Math.max(MIN_ADAPTIVE_PERCENTAGE, 50 - nodes / 125);
    }
    if (nodes < MIN_NODES_TO_FIND || percentage >= 100) {
      return nodes;
    }
    return Math.max(MIN_NODES_TO_FIND, (int) ((long) nodes * percentage / 100));
  }

  /** The defaults. */
  public static SchedulingConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .algorithm(algorithm)
        .resourceWeights(resourceWeights)
        .affinityRules(affinityRules)
        .antiAffinityRules(antiAffinityRules)
        .taints(taints)
        .targetUtilization(targetUtilization)
        .scoreWeights(scoreWeights)
        .optimisticAttempts(optimisticAttempts)
        .runtimeTimeout(runtimeTimeout)
        .percentageOfNodesToScore(percentageOfNodesToScore);
  }

  /**
   * The default score weights of {@code algorithm}. Multi-constraint follows the seed's factors
   * (resource 0.4, load 0.2, affinity 0.2, health 0.1; the seed's "performance" has no input and
   * is folded into health) plus balance, taint preference and spreading; bin packing puts
   * most-allocated first and does not spread replicas by default; round robin does not score.
   */
  public static Map<String, Double> defaultScoreWeights(Algorithm algorithm) {
    Map<String, Double> w = new LinkedHashMap<>();
    switch (algorithm) {
      case MULTI_CONSTRAINT:
        w.put("resource_target", 4.0);
        w.put("least_allocated", 2.0);
        w.put("balanced_allocation", 1.0);
        w.put("node_affinity", 2.0);
        w.put("workload_affinity", 2.0);
        w.put("taint_toleration", 1.0);
        w.put("topology_spread", 2.0);
        w.put("default_spread", 2.0);
        w.put("node_health", 1.0);
        break;
      case BIN_PACKING:
        w.put("most_allocated", 5.0);
        w.put("balanced_allocation", 1.0);
        w.put("node_affinity", 2.0);
        w.put("workload_affinity", 2.0);
        w.put("taint_toleration", 1.0);
        w.put("topology_spread", 2.0);
        w.put("node_health", 1.0);
        break;
      default:
        break;
    }
    return w;
  }

  /** The algorithm's default weights with {@link #scoreWeights()} applied on top. */
  public Map<String, Double> effectiveScoreWeights() {
    Map<String, Double> w = defaultScoreWeights(algorithm);
    w.putAll(scoreWeights);
    return w;
  }

  /** Builds a {@link SchedulingConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Algorithm algorithm = Algorithm.MULTI_CONSTRAINT;
    private ResourceWeights resourceWeights = ResourceWeights.defaults();
    private boolean affinityRules = true;
    private boolean antiAffinityRules = true;
    private boolean taints = true;
    private double targetUtilization = 0.75;
    private Map<String, Double> scoreWeights = new HashMap<>();
    private int optimisticAttempts = 3;
    private Duration runtimeTimeout = Duration.ofMinutes(5);
    private int percentageOfNodesToScore = 0;

    private Builder() {}

    /** The algorithm. */
    public Builder algorithm(Algorithm value) {
      this.algorithm = value;
      return this;
    }

    /** Resource weights. */
    public Builder resourceWeights(ResourceWeights value) {
      this.resourceWeights = value;
      return this;
    }

    /** Whether affinity is enforced. */
    public Builder affinityRules(boolean value) {
      this.affinityRules = value;
      return this;
    }

    /** Whether anti-affinity is enforced. */
    public Builder antiAffinityRules(boolean value) {
      this.antiAffinityRules = value;
      return this;
    }

    /** Whether taints are honoured. */
    public Builder taints(boolean value) {
      this.taints = value;
      return this;
    }

    /** Target utilisation of the resource score, 0..1. */
    public Builder targetUtilization(double value) {
      this.targetUtilization = value;
      return this;
    }

    /** Replaces the score weight overrides. */
    public Builder scoreWeights(Map<String, Double> value) {
      this.scoreWeights = value == null ? null : new HashMap<>(value);
      return this;
    }

    /** Overrides one score weight. */
    public Builder scoreWeight(String score, double weight) {
      this.scoreWeights.put(score, weight);
      return this;
    }

    /** Optimistic decisions before one under the lock. */
    public Builder optimisticAttempts(int value) {
      this.optimisticAttempts = value;
      return this;
    }

    /** Container creation timeout. */
    public Builder runtimeTimeout(Duration value) {
      this.runtimeTimeout = value;
      return this;
    }

    /**
     * Percent of the nodes to search for feasible nodes before scoring them: 0 adaptive (the
     * default), 100 every node.
     */
    public Builder percentageOfNodesToScore(int value) {
      this.percentageOfNodesToScore = value;
      return this;
    }

    /** Validates and builds. */
    public SchedulingConfig build() {
      return new SchedulingConfig(
          algorithm,
          resourceWeights,
          affinityRules,
          antiAffinityRules,
          taints,
          targetUtilization,
          scoreWeights,
          optimisticAttempts,
          runtimeTimeout,
          percentageOfNodesToScore);
    }
  }
}
