package io.orchestra.saga;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * What the journal keeps: the seed's {@code persistence} section. Immutable; JSON/YAML-loadable.
 *
 * @param enabled write to the configured journal; default true. When false the orchestrator keeps
 *     its journal in memory only (bounded), so nothing survives a restart and nothing is recovered.
 * @param snapshotInterval write a snapshot of the saga state after every this many completed
 *     steps; default 5
 * @param eventSourcing keep every event forever (true) or drop the events a snapshot covers and
 *     keep only the last snapshot plus the tail (false); default true
 */
@JsonDeserialize(builder = PersistenceConfig.Builder.class)
public record PersistenceConfig(boolean enabled, int snapshotInterval, boolean eventSourcing) {

  /** Validates every field. */
  public PersistenceConfig {
    Checks.inRange("persistence.snapshotInterval", snapshotInterval, 1, 1_000_000);
  }

  /** The defaults. */
  public static PersistenceConfig defaults() {
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
        .snapshotInterval(snapshotInterval)
        .eventSourcing(eventSourcing);
  }

  /** Builds a {@link PersistenceConfig}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private boolean enabled = true;
    private int snapshotInterval = 5;
    private boolean eventSourcing = true;

    private Builder() {}

    /** Whether the configured journal is written. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Completed steps between snapshots. */
    public Builder snapshotInterval(int snapshotInterval) {
      this.snapshotInterval = snapshotInterval;
      return this;
    }

    /** Keep all events (true) or compact them behind snapshots (false). */
    public Builder eventSourcing(boolean eventSourcing) {
      this.eventSourcing = eventSourcing;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public PersistenceConfig build() {
      return new PersistenceConfig(enabled, snapshotInterval, eventSourcing);
    }
  }
}
