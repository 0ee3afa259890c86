package io.orchestra.scheduler;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's {@code scaling} section, with the horizontal-autoscaler rules people know from
 * Kubernetes: a tolerance band, stabilization windows and rate policies.
 *
 * <p>Immutable and thread-safe.
 *
 * @param horizontalPodAutoscaler whether {@link io.orchestra.scheduler.autoscaling.Autoscaler}
 *     acts at all; default true
 * @param clusterAutoscaler whether the {@code NodeProvisioner} is asked for capacity when
 *     replicas do not fit; default true
 * @param customMetrics the metric names (besides cpu, memory and requests per second) that
 *     autoscaling policies may target; default the seed's {@code request_rate}, {@code
 *     queue_length}, {@code cpu_utilization}
 * @param tolerance relative deviation from a target that causes no scaling; default 0.1
 * @param scaleUpStabilization window over which the lowest recommendation wins when scaling up;
 *     default 0
 * @param scaleDownStabilization window over which the highest recommendation wins when scaling
 *     down; default 300 s
 * @param scaleUpPolicies rate limits for scaling up; default 100 % or 4 pods per 15 s
 * @param scaleUpSelect which scale-up policy applies; default {@link SelectPolicy#MAX}
 * @param scaleDownPolicies rate limits for scaling down; default 100 % per 15 s
 * @param scaleDownSelect which scale-down policy applies; default {@link SelectPolicy#MAX}
 * @param scaleDownOrder which healthy replicas go first; default {@link
 *     ScaleDownOrder#OLDEST_FIRST}
 */
@JsonDeserialize(builder = ScalingConfig.Builder.class)
public record ScalingConfig(
    boolean horizontalPodAutoscaler,
    boolean clusterAutoscaler,
    List<String> customMetrics,
    double tolerance,
    Duration scaleUpStabilization,
    Duration scaleDownStabilization,
    List<ScalingPolicy> scaleUpPolicies,
    SelectPolicy scaleUpSelect,
    List<ScalingPolicy> scaleDownPolicies,
    SelectPolicy scaleDownSelect,
    ScaleDownOrder scaleDownOrder) {

  /** Validates every field, naming it. */
  public ScalingConfig {
    customMetrics = List.copyOf(Checks.noNulls("scaling.customMetrics", customMetrics));
    for (String m : customMetrics) {
      Checks.notBlank("scaling.customMetrics[]", m);
    }
    Checks.inRange("scaling.tolerance", tolerance, 0.0, 1.0);
    Checks.nonNegative("scaling.scaleUpStabilization", scaleUpStabilization);
    Checks.nonNegative("scaling.scaleDownStabilization", scaleDownStabilization);
    scaleUpPolicies = List.copyOf(Checks.noNulls("scaling.scaleUpPolicies", scaleUpPolicies));
    scaleDownPolicies = List.copyOf(Checks.noNulls("scaling.scaleDownPolicies", scaleDownPolicies));
    Checks.notNull("scaling.scaleUpSelect", scaleUpSelect);
    Checks.notNull("scaling.scaleDownSelect", scaleDownSelect);
    Checks.argument(
        !scaleUpPolicies.isEmpty() || scaleUpSelect == SelectPolicy.DISABLED,
        "scaling.scaleUpPolicies must not be empty unless scaleUpSelect is Disabled");
    Checks.argument(
        !scaleDownPolicies.isEmpty() || scaleDownSelect == SelectPolicy.DISABLED,
        "scaling.scaleDownPolicies must not be empty unless scaleDownSelect is Disabled");
    Checks.notNull("scaling.scaleDownOrder", scaleDownOrder);
  }

  /** The defaults. */
  public static ScalingConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .horizontalPodAutoscaler(horizontalPodAutoscaler)
        .clusterAutoscaler(clusterAutoscaler)
        .customMetrics(customMetrics)
        .tolerance(tolerance)
        .scaleUpStabilization(scaleUpStabilization)
        .scaleDownStabilization(scaleDownStabilization)
        .scaleUpPolicies(scaleUpPolicies)
        .scaleUpSelect(scaleUpSelect)
        .scaleDownPolicies(scaleDownPolicies)
        .scaleDownSelect(scaleDownSelect)
        .scaleDownOrder(scaleDownOrder);
  }

  /** Builds a {@link ScalingConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private boolean horizontalPodAutoscaler = true;
    private boolean clusterAutoscaler = true;
    private List<String> customMetrics = List.of("request_rate", "queue_length", "cpu_utilization");
    private double tolerance = 0.1;
    private Duration scaleUpStabilization = Duration.ZERO;
    private Duration scaleDownStabilization = Duration.ofSeconds(300);
    private List<ScalingPolicy> scaleUpPolicies =
        List.of(
            ScalingPolicy.percent(100, Duration.ofSeconds(15)),
            ScalingPolicy.pods(4, Duration.ofSeconds(15)));
    private SelectPolicy scaleUpSelect = SelectPolicy.MAX;
    private List<ScalingPolicy> scaleDownPolicies =
        List.of(ScalingPolicy.percent(100, Duration.ofSeconds(15)));
    private SelectPolicy scaleDownSelect = SelectPolicy.MAX;
    private ScaleDownOrder scaleDownOrder = ScaleDownOrder.OLDEST_FIRST;

    private Builder() {}

    /** Whether the autoscaler acts. */
    public Builder horizontalPodAutoscaler(boolean value) {
      this.horizontalPodAutoscaler = value;
      return this;
    }

    /** Whether the node provisioner is used. */
    public Builder clusterAutoscaler(boolean value) {
      this.clusterAutoscaler = value;
      return this;
    }

    /** Allowed custom metric names. */
    public Builder customMetrics(List<String> value) {
      this.customMetrics = value == null ? null : new ArrayList<>(value);
      return this;
    }

    /** Tolerance band, 0..1. */
    public Builder tolerance(double value) {
      this.tolerance = value;
      return this;
    }

    /** Scale-up stabilization window. */
    public Builder scaleUpStabilization(Duration value) {
      this.scaleUpStabilization = value;
      return this;
    }

    /** Scale-down stabilization window. */
    public Builder scaleDownStabilization(Duration value) {
      this.scaleDownStabilization = value;
      return this;
    }

    /** Scale-up rate policies. */
    public Builder scaleUpPolicies(List<ScalingPolicy> value) {
      this.scaleUpPolicies = value == null ? null : new ArrayList<>(value);
      return this;
    }

    /** Which scale-up policy applies. */
    public Builder scaleUpSelect(SelectPolicy value) {
      this.scaleUpSelect = value;
      return this;
    }

    /** Scale-down rate policies. */
    public Builder scaleDownPolicies(List<ScalingPolicy> value) {
      this.scaleDownPolicies = value == null ? null : new ArrayList<>(value);
      return this;
    }

    /** Which scale-down policy applies. */
    public Builder scaleDownSelect(SelectPolicy value) {
      this.scaleDownSelect = value;
      return this;
    }

    /** Which healthy replicas go first. */
    public Builder scaleDownOrder(ScaleDownOrder value) {
      this.scaleDownOrder = value;
      return this;
    }

    /** Validates and builds. */
    public ScalingConfig build() {
      return new ScalingConfig(
          horizontalPodAutoscaler,
          clusterAutoscaler,
          customMetrics,
          tolerance,
          scaleUpStabilization,
          scaleDownStabilization,
          scaleUpPolicies,
          scaleUpSelect,
          scaleDownPolicies,
          scaleDownSelect,
          scaleDownOrder);
    }
  }
}
