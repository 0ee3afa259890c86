package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * A share of a route's traffic sent to a subset of a service's instances. Immutable.
 *
 * @param subset name of a subset defined in the service's policy
 * @param weight percentage 0..100 of the route's traffic; the weights of one route add up to 100;
 *     default 100
 */
@JsonDeserialize(builder = WeightedDestination.Builder.class)
public record WeightedDestination(String subset, int weight) {

  /** Validates the fields. */
  public WeightedDestination {
    Checks.notBlank("destination.subset", subset);
    Checks.inRange("destination[" + subset + "].weight", weight, 0, 100);
  }

  /** All of a route's traffic to {@code subset}. */
  public static WeightedDestination of(String subset) {
    return new WeightedDestination(subset, 100);
  }

  /** {@code weight} percent of a route's traffic to {@code subset}. */
  public static WeightedDestination of(String subset, int weight) {
    return new WeightedDestination(subset, weight);
  }

  /** Builds a {@link WeightedDestination}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String subset;
    private int weight = 100;

    Builder() {}

    /** The subset name. */
    public Builder subset(String subset) {
      this.subset = subset;
      return this;
    }

    /** The percentage; default 100. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** The destination. */
    public WeightedDestination build() {
      return new WeightedDestination(subset, weight);
    }
  }
}
