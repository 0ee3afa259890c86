package io.orchestra.saga;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.Backoff;
import java.time.Duration;

/**
 * How completed steps are undone after a failure: the seed's {@code compensation} section.
 * Immutable; JSON/YAML-loadable.
 *
 * @param enabled whether a failed saga is compensated at all; default true. When false a failed
 *     saga ends {@link SagaStatus#FAILED} and its completed steps stay as they are.
 * @param compensationTimeout time allowed for one attempt of one compensation; default 1 min
 * @param parallelCompensation undo all steps at once (true) or one at a time in reverse order
 *     (false); default true
 * @param compensationRetries retries after the first attempt of a compensation; default 2
 * @param compensationBackoff delays between compensation attempts; default exponential from 1 s,
 *     doubling, capped at 30 s (1 s then 2 s: the seed's "1000 * (attempt + 1)" for its two
 *     retries)
 */
@JsonDeserialize(builder = CompensationConfig.Builder.class)
public record CompensationConfig(
    boolean enabled,
    Duration compensationTimeout,
    boolean parallelCompensation,
    int compensationRetries,
    Backoff compensationBackoff) {

  /** Validates every field. */
  public CompensationConfig {
    Checks.positive("compensation.compensationTimeout", compensationTimeout);
    Checks.inRange("compensation.compensationRetries", compensationRetries, 0, 1000);
    Checks.notNull("compensation.compensationBackoff", compensationBackoff);
  }

  /** The defaults. */
  public static CompensationConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    return new Builder()
        .enabled(enabled)
        .compensationTimeout(compensationTimeout)
        .parallelCompensation(parallelCompensation)
        .compensationRetries(compensationRetries)
        .compensationBackoff(compensationBackoff);
  }

  /** Builds a {@link CompensationConfig}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private boolean enabled = true;
    private Duration compensationTimeout = Duration.ofMinutes(1);
    private boolean parallelCompensation = true;
    private int compensationRetries = 2;
    private Backoff compensationBackoff =
        Backoff.exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));

    private Builder() {}

    /** Whether failed sagas are compensated. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Time for one compensation attempt. */
    public Builder compensationTimeout(Duration compensationTimeout) {
      this.compensationTimeout = compensationTimeout;
      return this;
    }

    /** Parallel (true) or reverse sequential (false) compensation. */
    public Builder parallelCompensation(boolean parallelCompensation) {
      this.parallelCompensation = parallelCompensation;
      return this;
    }

    /** Retries after the first compensation attempt. */
    public Builder compensationRetries(int compensationRetries) {
      this.compensationRetries = compensationRetries;
      return this;
    }

    /** Delays between compensation attempts. */
    public Builder compensationBackoff(Backoff compensationBackoff) {
      this.compensationBackoff = compensationBackoff;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public CompensationConfig build() {
      return new CompensationConfig(
          enabled, compensationTimeout, parallelCompensation, compensationRetries, compensationBackoff);
    }
  }
}
