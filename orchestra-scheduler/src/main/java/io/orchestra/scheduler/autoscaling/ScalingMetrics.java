package io.orchestra.scheduler.autoscaling;

import io.orchestra.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One observation of a workload's metrics, as the application measured it. Metrics that are
 * absent do not vote.
 *
 * <p>Immutable and thread-safe.
 *
 * @param values metric name to value: {@link #CPU} and {@link #MEMORY} are average utilisation
 *     of the request across replicas (0.9 = 90 %), {@link #REQUESTS_PER_SECOND} is the total
 *     across replicas, custom metrics are per-replica averages
 */
public record ScalingMetrics(Map<String, Double> values) {
  /** Average cpu utilisation of the request (fraction). */
  public static final String CPU = "cpu";
  /** Average memory utilisation of the request (fraction). */
  public static final String MEMORY = "memory";
  /** Total requests per second across replicas. */
  public static final String REQUESTS_PER_SECOND = "requests_per_second";

  /** Validates: every value a finite number {@code >= 0}. */
  public ScalingMetrics {
    Checks.notNull("metrics", values);
    for (Map.Entry<String, Double> e : values.entrySet()) {
      Checks.notBlank("metrics key", e.getKey());
      Checks.nonNegative("metrics." + e.getKey(), Checks.notNull("metrics." + e.getKey(), e.getValue()));
    }
    values = Map.copyOf(values);
  }

  /** A builder of an observation. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ScalingMetrics}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Double> values = new LinkedHashMap<>();

    private Builder() {}

    /** Average cpu utilisation of the request, as a fraction. */
    public Builder cpuUtilization(double value) {
      values.put(CPU, value);
      return this;
    }

    /** Average memory utilisation of the request, as a fraction. */
    public Builder memoryUtilization(double value) {
      values.put(MEMORY, value);
      return this;
    }

    /** Total requests per second across replicas. */
    public Builder requestsPerSecond(double value) {
      values.put(REQUESTS_PER_SECOND, value);
      return this;
    }

    /** A custom metric's per-replica average. */
    public Builder custom(String name, double value) {
      values.put(name, value);
      return this;
    }

    /** Validates and builds. */
    public ScalingMetrics build() {
      return new ScalingMetrics(values);
    }
  }
}
