package io.orchestra.scheduler;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;

/**
 * The seed's {@code resilience} section, plus the termination grace period.
 *
 * <p>Immutable and thread-safe.
 *
 * @param replicationFactor replicas {@link WorkloadScheduler#deploy(DeploymentRequest)} places;
 *     default 3
 * @param maxUnavailable during a drain, how many replicas of one workload may be down at once
 *     (beyond those already down); default 1
 * @param maxSurge during a drain, how many extra replicas of one workload may run at once while
 *     they move; default 1
 * @param healthCheckGracePeriod a container younger than this is not treated as unhealthy when
 *     choosing which replicas to remove; default 30 s
 * @param terminationGracePeriod given to the runtime when a container is stopped; default 30 s
 */
@JsonDeserialize(builder = ResilienceConfig.Builder.class)
public record ResilienceConfig(
    int replicationFactor,
    int maxUnavailable,
    int maxSurge,
    Duration healthCheckGracePeriod,
    Duration terminationGracePeriod) {

  /** Validates every field, naming it. */
  public ResilienceConfig {
    Checks.positive("resilience.replicationFactor", replicationFactor);
    Checks.nonNegative("resilience.maxUnavailable", maxUnavailable);
    Checks.nonNegative("resilience.maxSurge", maxSurge);
    Checks.argument(
        maxUnavailable + maxSurge > 0,
        "resilience.maxUnavailable and resilience.maxSurge must not both be 0 (a drain could never progress)");
    Checks.nonNegative("resilience.healthCheckGracePeriod", healthCheckGracePeriod);
    Checks.nonNegative("resilience.terminationGracePeriod", terminationGracePeriod);
  }

  /** The defaults. */
  public static ResilienceConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ResilienceConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int replicationFactor = 3;
    private int maxUnavailable = 1;
    private int maxSurge = 1;
    private Duration healthCheckGracePeriod = Duration.ofSeconds(30);
    private Duration terminationGracePeriod = Duration.ofSeconds(30);

    private Builder() {}

    /** Replicas per deployment. */
    public Builder replicationFactor(int value) {
      this.replicationFactor = value;
      return this;
    }

    /** Replicas that may be down during a drain. */
    public Builder maxUnavailable(int value) {
      this.maxUnavailable = value;
      return this;
    }

    /** Extra replicas during a drain. */
    public Builder maxSurge(int value) {
      this.maxSurge = value;
      return this;
    }

    /** Grace period for new containers' health. */
    public Builder healthCheckGracePeriod(Duration value) {
      this.healthCheckGracePeriod = value;
      return this;
    }

    /** Grace period for stopping containers. */
    public Builder terminationGracePeriod(Duration value) {
      this.terminationGracePeriod = value;
      return this;
    }

    /** Validates and builds. */
    public ResilienceConfig build() {
      return new ResilienceConfig(
          replicationFactor, maxUnavailable, maxSurge, healthCheckGracePeriod, terminationGracePeriod);
    }
  }
}
