package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.util.List;

/**
 * A traffic-splitting rule of a service: when {@link #match()} holds, the request goes to one of
 * the weighted subsets. Rules are tried in order; the first whose match holds and whose chosen
 * subsets have instances wins. Immutable.
 *
 * @param name unique name within the service, reported in telemetry
 * @param match the conditions; default: every request
 * @param destinations weighted subsets; weights add up to 100
 */
@JsonDeserialize(builder = RouteRule.Builder.class)
public record RouteRule(String name, RouteMatch match, List<WeightedDestination> destinations) {

  /** Validates the fields. */
  public RouteRule {
    Checks.notBlank("route.name", name);
    match = match == null ? RouteMatch.any() : match;
    destinations = checkWeights("route[" + name + "].destinations", destinations);
  }

  /** A builder for a rule named {@code name}. */
  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** Fails unless the list is non-empty, has no duplicate subset and its weights add up to 100. */
  static List<WeightedDestination> checkWeights(String field, List<WeightedDestination> destinations) {
    Checks.noNulls(field, Checks.notNull(field, destinations));
    Checks.argument(!destinations.isEmpty(), "%s must not be empty", field);
    int sum = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (WeightedDestination d : destinations) {
      Checks.argument(seen.add(d.subset()), "%s names subset \"%s\" twice", field, d.subset());
      sum += d.weight();
    }
    Checks.argument(sum == 100, "%s weights must add up to 100, got %s", field, sum);
    return List.copyOf(destinations);
  }

  /** Builds a {@link RouteRule}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String name;
    private RouteMatch match = RouteMatch.any();
    private List<WeightedDestination> destinations = List.of();

    Builder() {}

    /** Unique name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The conditions. */
    public Builder match(RouteMatch match) {
      this.match = match;
      return this;
    }

    /** The weighted subsets. */
    public Builder destinations(List<WeightedDestination> destinations) {
      this.destinations = destinations;
      return this;
    }

    /** The rule; fails naming the first invalid field. */
    public RouteRule build() {
      return new RouteRule(name, match, destinations);
    }
  }
}
