package io.orchestra.saga;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * Everything a {@link SagaOrchestrator} can be tuned with, in the seed's sections ({@code
 * execution}, {@code compensation}, {@code persistence}) plus {@code recovery}. Immutable;
 * JSON/YAML-loadable through {@link io.orchestra.core.config.ConfigLoader}:
 *
 * <pre>{@code
 * execution:    { timeout: 5m, stepTimeout: 30s, maxRetries: 3 }
 * compensation: { enabled: true, compensationTimeout: 1m, parallelCompensation: true, compensationRetries: 2 }
 * persistence:  { enabled: true, snapshotInterval: 5, eventSourcing: true }
 * recovery:     { leaseDuration: 30s, leaseRenewInterval: 10s, recoveryInterval: 15s }
 * }</pre>
 *
 * @param execution forward steps: timeouts and retries
 * @param compensation undoing steps after a failure
 * @param persistence snapshots and event retention
 * @param recovery leases and takeover of sagas from dead nodes
 */
@JsonDeserialize(builder = SagaConfig.Builder.class)
public record SagaConfig(
    ExecutionConfig execution,
    CompensationConfig compensation,
    PersistenceConfig persistence,
    RecoveryConfig recovery) {

  /** Validates every field. */
  public SagaConfig {
    Checks.notNull("execution", execution);
    Checks.notNull("compensation", compensation);
    Checks.notNull("persistence", persistence);
    Checks.notNull("recovery", recovery);
  }

  /** The seed's defaults. */
  public static SagaConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    return new Builder()
        .execution(execution)
        .compensation(compensation)
        .persistence(persistence)
        .recovery(recovery);
  }

  /** Builds a {@link SagaConfig}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private ExecutionConfig execution = ExecutionConfig.defaults();
    private CompensationConfig compensation = CompensationConfig.defaults();
    private PersistenceConfig persistence = PersistenceConfig.defaults();
    private RecoveryConfig recovery = RecoveryConfig.defaults();

    private Builder() {}

    /** The execution section. */
    public Builder execution(ExecutionConfig execution) {
      this.execution = execution;
      return this;
    }

    /** The compensation section. */
    public Builder compensation(CompensationConfig compensation) {
      this.compensation = compensation;
      return this;
    }

    /** The persistence section. */
    public Builder persistence(PersistenceConfig persistence) {
      this.persistence = persistence;
      return this;
    }

    /** The recovery section. */
    public Builder recovery(RecoveryConfig recovery) {
      this.recovery = recovery;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public SagaConfig build() {
      return new SagaConfig(execution, compensation, persistence, recovery);
    }
  }
}
