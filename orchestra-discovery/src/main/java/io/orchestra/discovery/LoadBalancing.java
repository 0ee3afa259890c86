package io.orchestra.discovery;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * The load-balancing algorithm of a service. Names parse case-insensitively, with {@code -} or
 * {@code _}, so the seed's {@code weighted_round_robin} works in JSON/YAML.
 */
public enum LoadBalancing {
  /** Each eligible instance in turn; O(1) per pick. */
  ROUND_ROBIN,
  /**
   * Smooth weighted round robin over {@code weight x slow-start x score} with a stride scheduler:
   * O(1) amortized per pick, lock-free, exact long-run proportions. The seed's default.
   */
  WEIGHTED_ROUND_ROBIN,
  /** The eligible instance with the fewest outstanding calls (ties broken in turn); O(n) per pick. */
  LEAST_CONNECTIONS,
  /**
   * Power of two random choices, comparing peak-EWMA latency x (outstanding calls + 1); O(1) per
   * pick.
   */
  POWER_OF_TWO_CHOICES,
  /** Maglev consistent hashing on {@link ClientContext#hashKey()}; O(1) per pick. */
  CONSISTENT_HASH;

  /**
   * Parses a name such as {@code weighted_round_robin} or {@code ROUND-ROBIN}; {@code weighted}
   * and {@code p2c} are accepted aliases.
   *
   * @throws IllegalArgumentException naming the value when it is not an algorithm
   */
  @JsonCreator
  public static LoadBalancing parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("algorithm must not be null");
    }
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "WEIGHTED":
        return WEIGHTED_ROUND_ROBIN;
      case "P2C":
      case "PEAK_EWMA":
        return POWER_OF_TWO_CHOICES;
      case "MAGLEV":
      case "RING_HASH":
        return CONSISTENT_HASH;
      default:
        try {
          return valueOf(n);
        } catch (IllegalArgumentException unknown) {
          throw new IllegalArgumentException(
              "algorithm must be one of round_robin, weighted_round_robin, least_connections,"
                  + " power_of_two_choices, consistent_hash, was \"" + name + "\"");
        }
    }
  }
}
