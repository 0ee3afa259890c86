package io.orchestra.scheduler;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * How much each resource counts when the resource scores average utilisation over resources.
 * The seed's values (cpu 0.4, memory 0.3, storage 0.2, network 0.1) are the defaults. Weights are
 * relative: they are divided by their sum (over the resources a node has), so they need not add
 * up to 1.
 *
 * <p>Immutable and thread-safe.
 *
 * @param cpu weight of cpu, default 0.4
 * @param memory weight of memory, default 0.3
 * @param storage weight of storage, default 0.2
 * @param network weight of network, default 0.1
 */
@JsonDeserialize(builder = ResourceWeights.Builder.class)
public record ResourceWeights(double cpu, double memory, double storage, double network) {

  /** Validates: each a finite number {@code >= 0}, at least one positive. */
  public ResourceWeights {
    Checks.nonNegative("scheduling.resourceWeights.cpu", cpu);
    Checks.nonNegative("scheduling.resourceWeights.memory", memory);
    Checks.nonNegative("scheduling.resourceWeights.storage", storage);
    Checks.nonNegative("scheduling.resourceWeights.network", network);
    Checks.argument(
        cpu + memory + storage + network > 0,
        "scheduling.resourceWeights must have a positive weight, were all 0");
  }

  /** The seed's weights. */
  public static ResourceWeights defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The weights in {@link ResourceKind} order, divided by their sum. */
  public double[] normalized() {
    double sum = cpu + memory + storage + network;
    return new double[] {cpu / sum, memory / sum, storage / sum, network / sum};
  }

  /** Builds {@link ResourceWeights}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private double cpu = 0.4;
    private double memory = 0.3;
    private double storage = 0.2;
    private double network = 0.1;

    private Builder() {}

    /** Weight of cpu. */
    public Builder cpu(double value) {
      this.cpu = value;
      return this;
    }

    /** Weight of memory. */
    public Builder memory(double value) {
      this.memory = value;
      return this;
    }

    /** Weight of storage. */
    public Builder storage(double value) {
      this.storage = value;
      return this;
    }

    /** Weight of network. */
    public Builder network(double value) {
      this.network = value;
      return this;
    }

    /** Validates and builds. */
    public ResourceWeights build() {
      return new ResourceWeights(cpu, memory, storage, network);
    }
  }
}
