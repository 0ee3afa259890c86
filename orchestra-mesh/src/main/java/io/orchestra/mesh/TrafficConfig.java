package io.orchestra.mesh;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.time.Duration;

/**
 * The seed's {@code traffic} section: balancing, circuit breaking, retries and the overall
 * timeout. A service's {@code ServicePolicy} may override each. Immutable; JSON/YAML-loadable.
 *
 * @param loadBalancing default {@code least_connection} (seed)
 * @param circuitBreakerEnabled default true (seed)
 * @param circuitBreaker settings of each destination service's breaker; default core's {@link
 *     CircuitBreakerConfig#defaults()}
 * @param instanceCircuitBreaker settings of each instance's breaker; default core's {@link
 *     CircuitBreakerConfig#defaults()}
 * @param retryPolicy default 3 retries on {@code 5xx, gateway-error, connect-failure}, per-try
 *     timeout 5 s (seed)
 * @param timeout overall time allowed for a request, retries included; default 15 s (seed)
 */
@JsonDeserialize(builder = TrafficConfig.Builder.class)
public record TrafficConfig(
    LoadBalancing loadBalancing,
    boolean circuitBreakerEnabled,
    CircuitBreakerConfig circuitBreaker,
    CircuitBreakerConfig instanceCircuitBreaker,
    MeshRetryPolicy retryPolicy,
    Duration timeout) {

  /** Validates the fields. */
  public TrafficConfig {
    Checks.notNull("traffic.loadBalancing", loadBalancing);
    Checks.notNull("traffic.circuitBreaker", circuitBreaker);
    Checks.notNull("traffic.instanceCircuitBreaker", instanceCircuitBreaker);
    Checks.notNull("traffic.retryPolicy", retryPolicy);
    Checks.positive("traffic.timeout", timeout);
  }

  /** The seed's defaults. */
  public static TrafficConfig defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TrafficConfig}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private LoadBalancing loadBalancing = LoadBalancing.LEAST_CONNECTION;
    private boolean circuitBreakerEnabled = true;
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
    private CircuitBreakerConfig instanceCircuitBreaker = CircuitBreakerConfig.defaults();
    private MeshRetryPolicy retryPolicy = MeshRetryPolicy.defaults();
    private Duration timeout = Duration.ofSeconds(15);

    Builder() {}

    /** Balancing algorithm. */
    public Builder loadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = loadBalancing;
      return this;
    }

    /** Whether breakers are used. */
    public Builder circuitBreakerEnabled(boolean enabled) {
      this.circuitBreakerEnabled = enabled;
      return this;
    }

    /** Breaker settings. */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = config;
      return this;
    }

    /** Per-instance breaker settings. */
    public Builder instanceCircuitBreaker(CircuitBreakerConfig config) {
      this.instanceCircuitBreaker = config;
      return this;
    }

    /** Retry policy. */
    public Builder retryPolicy(MeshRetryPolicy policy) {
      this.retryPolicy = policy;
      return this;
    }

    /** Overall timeout. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The settings; fails naming the first invalid field. */
    public TrafficConfig build() {
      return new TrafficConfig(
          loadBalancing, circuitBreakerEnabled, circuitBreaker, instanceCircuitBreaker, retryPolicy, timeout);
    }
  }
}
