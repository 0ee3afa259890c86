package io.orchestra.mesh;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.internal.Checks;

/**
 * The seed's {@code ServiceMeshConfig}: traffic, security and observability settings of a {@link
 * TrafficManager}, fixed for its lifetime (policies, which change at run time, are separate).
 * Immutable; JSON/YAML-loadable ({@link #fromYaml}, {@link #fromJson}, {@link #fromFile}); every
 * omitted value keeps the seed's default.
 *
 * @param traffic balancing, circuit breaking, retries, timeout
 * @param security which security checks run, allowed methods
 * @param observability tracing, metrics, access logs, sampling
 */
@JsonDeserialize(builder = MeshConfig.Builder.class)
public record MeshConfig(TrafficConfig traffic, SecurityConfig security, ObservabilityConfig observability) {

  /** Validates the fields. */
  public MeshConfig {
    Checks.notNull("traffic", traffic);
    Checks.notNull("security", security);
    Checks.notNull("observability", observability);
  }

  /** The seed's defaults. */
  public static MeshConfig defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses YAML.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshConfig fromYaml(String yaml) {
    return ConfigLoader.fromYaml(yaml, MeshConfig.class);
  }

  /**
   * Parses JSON.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshConfig fromJson(String json) {
    return ConfigLoader.fromJson(json, MeshConfig.class);
  }

  /**
   * Reads a {@code .json}, {@code .yaml} or {@code .yml} file.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshConfig fromFile(java.nio.file.Path file) {
    return ConfigLoader.fromFile(file, MeshConfig.class);
  }

  /** Builds a {@link MeshConfig}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private TrafficConfig traffic = TrafficConfig.defaults();
    private SecurityConfig security = SecurityConfig.defaults();
    private ObservabilityConfig observability = ObservabilityConfig.defaults();

    Builder() {}

    /** Traffic settings. */
    public Builder traffic(TrafficConfig traffic) {
      this.traffic = traffic;
      return this;
    }

    /** Security settings. */
    public Builder security(SecurityConfig security) {
      this.security = security;
      return this;
    }

    /** Observability settings. */
    public Builder observability(ObservabilityConfig observability) {
      this.observability = observability;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public MeshConfig build() {
      return new MeshConfig(traffic, security, observability);
    }
  }
}
