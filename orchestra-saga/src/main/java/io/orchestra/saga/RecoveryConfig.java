package io.orchestra.saga;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;

/**
 * Ownership and crash recovery across nodes (not in the seed). Immutable; JSON/YAML-loadable.
 *
 * @param leaseDuration how long a node owns a running saga without renewing; another node may
 *     take it over once the lease has expired; default 30 s
 * @param leaseRenewInterval how often a node renews the leases of the sagas it runs; must be
 *     shorter than the lease; default 10 s
 * @param recoveryInterval how often a started orchestrator looks for expired sagas to take over;
 *     default 15 s
 * @param recoveryBatchSize the most sagas claimed in one look; default 100
 * @param stuckThreshold a running saga that has made no progress for this long counts as stuck in
 *     the {@code orchestra.saga.stuck} gauge; default 5 min
 */
@JsonDeserialize(builder = RecoveryConfig.Builder.class)
public record RecoveryConfig(
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration recoveryInterval,
    int recoveryBatchSize,
    Duration stuckThreshold) {

  /** Validates every field. */
  public RecoveryConfig {
    Checks.positive("recovery.leaseDuration", leaseDuration);
    Checks.positive("recovery.leaseRenewInterval", leaseRenewInterval);
    Checks.argument(
        leaseRenewInterval.compareTo(leaseDuration) < 0,
        "recovery.leaseRenewInterval (%s) must be shorter than recovery.leaseDuration (%s)",
        leaseRenewInterval,
        leaseDuration);
    Checks.positive("recovery.recoveryInterval", recoveryInterval);
    Checks.inRange("recovery.recoveryBatchSize", recoveryBatchSize, 1, 100_000);
    Checks.positive("recovery.stuckThreshold", stuckThreshold);
  }

  /** The defaults. */
  public static RecoveryConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    return new Builder()
        .leaseDuration(leaseDuration)
        .leaseRenewInterval(leaseRenewInterval)
        .recoveryInterval(recoveryInterval)
        .recoveryBatchSize(recoveryBatchSize)
        .stuckThreshold(stuckThreshold);
  }

  /** Builds a {@link RecoveryConfig}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Duration leaseDuration = Duration.ofSeconds(30);
    private Duration leaseRenewInterval = Duration.ofSeconds(10);
    private Duration recoveryInterval = Duration.ofSeconds(15);
    private int recoveryBatchSize = 100;
    private Duration stuckThreshold = Duration.ofMinutes(5);

    private Builder() {}

    /** Lease length. */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    /** Lease renewal period. */
    public Builder leaseRenewInterval(Duration leaseRenewInterval) {
      this.leaseRenewInterval = leaseRenewInterval;
      return this;
    }

    /** Period of the look for expired sagas. */
    public Builder recoveryInterval(Duration recoveryInterval) {
      this.recoveryInterval = recoveryInterval;
      return this;
    }

    /** Most sagas claimed per look. */
    public Builder recoveryBatchSize(int recoveryBatchSize) {
      this.recoveryBatchSize = recoveryBatchSize;
      return this;
    }

    /** Age without progress after which a running saga counts as stuck. */
    public Builder stuckThreshold(Duration stuckThreshold) {
      this.stuckThreshold = stuckThreshold;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public RecoveryConfig build() {
      return new RecoveryConfig(
          leaseDuration, leaseRenewInterval, recoveryInterval, recoveryBatchSize, stuckThreshold);
    }
  }
}
