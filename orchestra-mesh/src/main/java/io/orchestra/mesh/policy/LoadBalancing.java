package io.orchestra.mesh.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an instance is chosen among the instances a route selected, with the seed's names ({@code
 * round_robin}, {@code least_connection}, {@code weighted}).
 */
public enum LoadBalancing {
  /** Each instance in turn. */
  ROUND_ROBIN,
  /**
   * The instance with the fewest requests in flight from this traffic manager; ties are broken by
   * rotating the starting point (the seed's default).
   */
  LEAST_CONNECTION,
  /** Random, in proportion to {@code ServiceInstance.weight()}; weight 0 receives nothing. */
  WEIGHTED;

  /** The seed's name, such as {@code least_connection}. */
  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code least_connection}, {@code least-connection} or {@code LEAST_CONNECTION}. */
  @JsonCreator
  public static LoadBalancing parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("loadBalancing must not be null");
    }
    String v = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (LoadBalancing lb : values()) {
      if (lb.name().equals(v)) {
        return lb;
      }
    }
    throw new IllegalArgumentException(
        "unknown loadBalancing \"" + value + "\"; expected round_robin, least_connection or weighted");
  }
}
