package io.orchestra.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * Which healthy replicas go first when a workload scales down (unhealthy and still-pending ones
 * always go before healthy running ones).
 */
public enum ScaleDownOrder {
  /** The oldest replicas first (the seed's choice, and the default). */
  OLDEST_FIRST,
  /** The newest replicas first (Kubernetes' ReplicaSet choice). */
  NEWEST_FIRST;

  /**
   * Parses {@code oldest_first}/{@code newest_first}, case-insensitively.
   *
   * @throws IllegalArgumentException otherwise, naming {@code scaling.scaleDownOrder}
   */
  @JsonCreator
  public static ScaleDownOrder parse(String value) {
    if (value != null) {
      String v = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
      for (ScaleDownOrder o : values()) {
        if (o.name().equals(v)) {
          return o;
        }
      }
    }
    throw new IllegalArgumentException(
        "scaling.scaleDownOrder must be oldest_first or newest_first, was " + value);
  }
}
