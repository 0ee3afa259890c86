package io.orchestra.scheduler;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * The seed's {@code OrchestrationConfig}: {@code scheduling}, {@code scaling} and {@code
 * resilience}, each with the seed's defaults. Loadable from JSON or YAML with core's {@code
 * ConfigLoader}:
 *
 * <pre>{@code
 * scheduling:
 *   algorithm: multi_constraint
 *   resourceWeights: {cpu: 0.4, memory: 0.3, storage: 0.2, network: 0.1}
 * scaling:
 *   tolerance: 0.1
 *   scaleDownStabilization: 300s
 * resilience:
 *   replicationFactor: 3
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param scheduling placement settings
 * @param scaling autoscaling settings
 * @param resilience replication and disruption settings
 */
@JsonDeserialize(builder = SchedulerConfig.Builder.class)
public record SchedulerConfig(
    SchedulingConfig scheduling, ScalingConfig scaling, ResilienceConfig resilience) {

  /** Validates. */
  public SchedulerConfig {
    Checks.notNull("scheduling", scheduling);
    Checks.notNull("scaling", scaling);
    Checks.notNull("resilience", resilience);
  }

  /** The seed's defaults. */
  public static SchedulerConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SchedulerConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private SchedulingConfig scheduling = SchedulingConfig.defaults();
    private ScalingConfig scaling = ScalingConfig.defaults();
    private ResilienceConfig resilience = ResilienceConfig.defaults();

    private Builder() {}

    /** Placement settings. */
    public Builder scheduling(SchedulingConfig value) {
      this.scheduling = value;
      return this;
    }

    /** Autoscaling settings. */
    public Builder scaling(ScalingConfig value) {
      this.scaling = value;
      return this;
    }

    /** Replication and disruption settings. */
    public Builder resilience(ResilienceConfig value) {
      this.resilience = value;
      return this;
    }

    /** Validates and builds. */
    public SchedulerConfig build() {
      return new SchedulerConfig(scheduling, scaling, resilience);
    }
  }
}
