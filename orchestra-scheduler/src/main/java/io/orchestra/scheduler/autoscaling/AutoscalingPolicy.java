package io.orchestra.scheduler.autoscaling;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one workload scales: replica bounds and a target per metric. Metric names: {@link
 * ScalingMetrics#CPU} and {@link ScalingMetrics#MEMORY} (target average utilisation of the
 * request, 0.75 = 75 %), {@link ScalingMetrics#REQUESTS_PER_SECOND} (target requests per second
 * per replica), and custom metrics listed in {@code scaling.customMetrics} (target per-replica
 * average).
 *
 * <p>Immutable and thread-safe; JSON/YAML-loadable.
 *
 * @param minReplicas at least 1; default 1
 * @param maxReplicas at least {@code minReplicas}; default 10
 * @param targets metric name to target value (positive); default {@code cpu: 0.75}
 */
@JsonDeserialize(builder = AutoscalingPolicy.Builder.class)
public record AutoscalingPolicy(int minReplicas, int maxReplicas, Map<String, Double> targets) {

  /** Validates every field, naming it. */
  public AutoscalingPolicy {
    Checks.positive("autoscaling.minReplicas", minReplicas);
    Checks.positive("autoscaling.maxReplicas", maxReplicas);
    Checks.argument(
        minReplicas <= maxReplicas,
        "autoscaling.minReplicas (%s) must be <= autoscaling.maxReplicas (%s)",
        minReplicas,
        maxReplicas);
    Checks.notNull("autoscaling.targets", targets);
    for (Map.Entry<String, Double> e : targets.entrySet()) {
      Checks.notBlank("autoscaling.targets key", e.getKey());
      double v = Checks.notNull("autoscaling.targets." + e.getKey(), e.getValue());
      Checks.argument(
          v > 0 && !Double.isInfinite(v), "autoscaling.targets.%s must be a finite number > 0, was %s", e.getKey(), v);
    }
    targets = Map.copyOf(targets);
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AutoscalingPolicy}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int minReplicas = 1;
    private int maxReplicas = 10;
    private Map<String, Double> targets = new LinkedHashMap<>(Map.of(ScalingMetrics.CPU, 0.75));

    private Builder() {}

    /** Lower replica bound. */
    public Builder minReplicas(int value) {
      this.minReplicas = value;
      return this;
    }

    /** Upper replica bound. */
    public Builder maxReplicas(int value) {
      this.maxReplicas = value;
      return this;
    }

    /** Replaces all targets. */
    public Builder targets(Map<String, Double> value) {
      this.targets = value == null ? null : new LinkedHashMap<>(value);
      return this;
    }

    /** Sets one target (replacing the default cpu target only if {@code metric} is cpu). */
    public Builder target(String metric, double value) {
      this.targets.put(metric, value);
      return this;
    }

    /** Validates and builds. */
    public AutoscalingPolicy build() {
      return new AutoscalingPolicy(minReplicas, maxReplicas, targets);
    }
  }
}
