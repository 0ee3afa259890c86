package io.orchestra.mesh;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * The seed's {@code observability} section. Sampling applies to traces and access logs, never to
 * metrics. Immutable; JSON/YAML-loadable.
 *
 * @param tracingEnabled propagate W3C trace context and record a span per attempt; default true
 * @param metricsCollection record request, attempt, retry and rejection metrics; default true
 * @param accessLogging emit access-log records; default true
 * @param samplingRate share [0, 1] of new traces (and of access-log records) recorded; default
 *     0.1 (seed); an incoming {@code traceparent} keeps its own sampled flag
 */
@JsonDeserialize(builder = ObservabilityConfig.Builder.class)
public record ObservabilityConfig(
    boolean tracingEnabled, boolean metricsCollection, boolean accessLogging, double samplingRate) {

  /** Validates the sampling rate. */
  public ObservabilityConfig {
    Checks.inRange("observability.samplingRate", samplingRate, 0.0, 1.0);
  }

  /** The seed's defaults. */
  public static ObservabilityConfig defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ObservabilityConfig}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private boolean tracingEnabled = true;
    private boolean metricsCollection = true;
    private boolean accessLogging = true;
    private double samplingRate = 0.1;

    Builder() {}

    /** Tracing. */
    public Builder tracingEnabled(boolean enabled) {
      this.tracingEnabled = enabled;
      return this;
    }

    /** Metrics. */
    public Builder metricsCollection(boolean enabled) {
      this.metricsCollection = enabled;
      return this;
    }

    /** Access logs. */
    public Builder accessLogging(boolean enabled) {
      this.accessLogging = enabled;
      return this;
    }

    /** Sampling rate in [0, 1]. */
    public Builder samplingRate(double rate) {
      this.samplingRate = rate;
      return this;
    }

    /** The settings; fails naming the invalid field. */
    public ObservabilityConfig build() {
      return new ObservabilityConfig(tracingEnabled, metricsCollection, accessLogging, samplingRate);
    }
  }
}
