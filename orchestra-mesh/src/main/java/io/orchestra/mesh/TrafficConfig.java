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
 * @param destinationIdleTimeout how long a destination service may go without requests before its
 *     runtime state (breakers, retry budget, instance states) and its meters are dropped; default
 *     10 minutes, {@link Duration#ZERO} keeps every destination for the manager's lifetime. A
 *     dropped destination is evicted between one and two of these periods after its last request,
 *     never while one of its attempts is in flight, and starts afresh (closed breakers, new meters)
 *     when it is routed to again. Not in the seed, which keeps state for ever.
 */
@JsonDeserialize(builder = TrafficConfig.Builder.class)
public record TrafficConfig(
    LoadBalancing loadBalancing,
    boolean circuitBreakerEnabled,
    CircuitBreakerConfig circuitBreaker,
    CircuitBreakerConfig instanceCircuitBreaker,
    MeshRetryPolicy retryPolicy,
    Duration timeout,
    Duration destinationIdleTimeout) {

  /** Validates the fields. */
  public TrafficConfig {
    Checks.notNull("traffic.loadBalancing", loadBalancing);
    Checks.notNull("traffic.circuitBreaker", circuitBreaker);
    Checks.notNull("traffic.instanceCircuitBreaker", instanceCircuitBreaker);
    Checks.notNull("traffic.retryPolicy", retryPolicy);
    Checks.positive("traffic.timeout", timeout);
    Checks.nonNegative("traffic.destinationIdleTimeout", destinationIdleTimeout);
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
    private Duration destinationIdleTimeout = Duration.ofMinutes(10);

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

    /** Idle time after which a destination's state and meters are dropped; zero: never. */
    public Builder destinationIdleTimeout(Duration idleTimeout) {
      this.destinationIdleTimeout = idleTimeout;
      return this;
    }

    /** The settings; fails naming the first invalid field. */
    public TrafficConfig build() {
      return new TrafficConfig(
          loadBalancing,
          circuitBreakerEnabled,
          circuitBreaker,
          instanceCircuitBreaker,
          retryPolicy,
          timeout,
          destinationIdleTimeout);
    }
  }
}
