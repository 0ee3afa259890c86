package io.orchestra.discovery;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Immutable settings of a {@link ServiceDiscovery}, with the seed's defaults. Build with {@link
 * #builder()} or load from JSON/YAML with {@code ConfigLoader.fromYaml(text,
 * DiscoveryConfig.class)}; property names equal the builder's method names, durations may be
 * written as {@code 30s}. Every field is validated at build time; the exception names the field
 * and the value. See docs/discovery.md for the meaning of each field.
 *
 * @param mechanisms which kinds of sources to query; default dns, registry, mesh (a kind without
 *     a configured source is skipped)
 * @param refreshInterval time-to-live of a cached instance list before it is refreshed in the
 *     background; default 30 s
 * @param refreshJitter fraction [0, 1) of {@code refreshInterval} by which each refresh is moved
 *     earlier at random, so that services cached together do not refresh together; default 0.2
 * @param maxStale how long past its TTL a cached list may still be served when refreshing fails;
 *     default 5 min
 * @param healthCheckInterval time between active health checks; default 10 s
 * @param healthCheckTimeout time allowed for one active check; default 5 s (the seed's)
 * @param healthCheckPath default path of active checks; default {@code /health}
 * @param healthCheckMethod default method of active checks; default {@code GET}
 * @param activeHealthChecks whether to check instances actively (needs a transport); default true
 * @param failureThreshold consecutive failures (active checks, or calls reported back) that make
 *     an instance unhealthy or eject it; default 3
 * @param healthyThreshold consecutive successful active checks that make it healthy again; default
 *     2
 * @param algorithm default load-balancing algorithm; default weighted round robin
 * @param serviceAlgorithms per-service algorithm overrides; default none
 * @param healthScoring whether health counts in the instance score; default true
 * @param latencyWeighting whether latency counts in the instance score; default true
 * @param geographicPreference whether same-zone (then same-region) instances are preferred;
 *     default true
 * @param healthWeight weight of the health score; default 0.4
 * @param performanceWeight weight of the performance score; default 0.3
 * @param proximityWeight weight of the proximity score; default 0.2
 * @param loadWeight weight of the load score; default 0.1
 * @param latencyThreshold latency up to which the latency score is perfect; default 100 ms
 * @param outlierErrorRate error rate (0, 1] of reported calls that ejects an instance; default 0.5
 * @param outlierMinimumRequests reported calls needed before the error rate can eject; default 10
 * @param baseEjectionTime first ejection time; the n-th ejection in a row lasts n times this;
 *     default 30 s
 * @param maxEjectionTime upper bound of an ejection; default 300 s
 * @param maxEjectionPercent at most this percentage of a service's instances is ejected at once
 *     (at least one); default 50
 * @param panicThreshold when fewer than this percentage of instances is healthy, traffic goes to
 *     all of them; 0 disables; default 50
 * @param slowStartWindow time over which a new instance's share ramps up to full; 0 disables;
 *     default 0
 * @param slowStartMinWeight share (0, 1] a new instance starts with; default 0.1
 * @param peakEwmaDecay time constant of the peak-EWMA latency; default 10 s
 * @param circuitBreakerEnabled whether instances with an open breaker are skipped; default true
 * @param circuitBreaker the per-instance breaker settings; default core's defaults
 * @param retryPolicy how a failed refresh is retried: {@code exponential_backoff}, {@code fixed}
 *     or {@code none}; default exponential_backoff
 * @param timeout time allowed for each source to answer; default 5 s
 * @param maxRetries retries of a failed background refresh before waiting for the next TTL;
 *     default 3
 */
@JsonDeserialize(builder = DiscoveryConfig.Builder.class)
public record DiscoveryConfig(
    Set<Mechanism> mechanisms,
    Duration refreshInterval,
    double refreshJitter,
    Duration maxStale,
    Duration healthCheckInterval,
    Duration healthCheckTimeout,
    String healthCheckPath,
    String healthCheckMethod,
    boolean activeHealthChecks,
    int failureThreshold,
    int healthyThreshold,
    LoadBalancing algorithm,
    Map<String, LoadBalancing> serviceAlgorithms,
    boolean healthScoring,
    boolean latencyWeighting,
    boolean geographicPreference,
    double healthWeight,
    double performanceWeight,
    double proximityWeight,
    double loadWeight,
    Duration latencyThreshold,
    double outlierErrorRate,
    int outlierMinimumRequests,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    int panicThreshold,
    Duration slowStartWindow,
    double slowStartMinWeight,
    Duration peakEwmaDecay,
    boolean circuitBreakerEnabled,
    CircuitBreakerConfig circuitBreaker,
    String retryPolicy,
    Duration timeout,
    int maxRetries) {

  /** Validates every field, naming the first bad one and its value. */
  public DiscoveryConfig {
    Checks.noNulls("discovery.mechanisms", mechanisms);
    mechanisms = mechanisms.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(mechanisms));
    Checks.positive("discovery.refreshInterval", refreshInterval);
    Checks.argument(
        refreshJitter >= 0 && refreshJitter < 1,
        "discovery.refreshJitter must be in [0, 1), was %s",
        refreshJitter);
    Checks.nonNegative("discovery.maxStale", maxStale);
    Checks.positive("discovery.healthCheckInterval", healthCheckInterval);
    Checks.positive("discovery.healthCheckTimeout", healthCheckTimeout);
    // Reuse HealthCheck's own checks for path and method.
    HealthCheck probe =
        new HealthCheck(healthCheckPath, healthCheckInterval, healthCheckTimeout, healthCheckMethod);
    healthCheckMethod = probe.method();
    Checks.positive("discovery.failureThreshold", failureThreshold);
    Checks.positive("discovery.healthyThreshold", healthyThreshold);
    Checks.notNull("discovery.algorithm", algorithm);
    Checks.notNull("discovery.serviceAlgorithms", serviceAlgorithms);
    serviceAlgorithms.forEach(
        (k, v) -> {
          Checks.notBlank("discovery.serviceAlgorithms key", k);
          Checks.notNull("discovery.serviceAlgorithms[" + k + "]", v);
        });
    serviceAlgorithms = Map.copyOf(serviceAlgorithms);
    Checks.inRange("discovery.healthWeight", healthWeight, 0, 1);
    Checks.inRange("discovery.performanceWeight", performanceWeight, 0, 1);
    Checks.inRange("discovery.proximityWeight", proximityWeight, 0, 1);
    Checks.inRange("discovery.loadWeight", loadWeight, 0, 1);
    Checks.argument(
        healthWeight + performanceWeight + proximityWeight + loadWeight > 0,
        "discovery score weights must not all be 0 (health %s, performance %s, proximity %s, load %s)",
        healthWeight,
        performanceWeight,
        proximityWeight,
        loadWeight);
    Checks.positive("discovery.latencyThreshold", latencyThreshold);
    Checks.argument(
        outlierErrorRate > 0 && outlierErrorRate <= 1,
        "discovery.outlierErrorRate must be in (0, 1], was %s",
        outlierErrorRate);
    Checks.positive("discovery.outlierMinimumRequests", outlierMinimumRequests);
    Checks.positive("discovery.baseEjectionTime", baseEjectionTime);
    Checks.positive("discovery.maxEjectionTime", maxEjectionTime);
    Checks.argument(
        maxEjectionTime.compareTo(baseEjectionTime) >= 0,
        "discovery.maxEjectionTime must be >= baseEjectionTime (%s), was %s",
        baseEjectionTime,
        maxEjectionTime);
    Checks.inRange("discovery.maxEjectionPercent", maxEjectionPercent, 0, 100);
    Checks.inRange("discovery.panicThreshold", panicThreshold, 0, 100);
    Checks.nonNegative("discovery.slowStartWindow", slowStartWindow);
    Checks.argument(
        slowStartMinWeight > 0 && slowStartMinWeight <= 1,
        "discovery.slowStartMinWeight must be in (0, 1], was %s",
        slowStartMinWeight);
    Checks.positive("discovery.peakEwmaDecay", peakEwmaDecay);
    Checks.notNull("discovery.circuitBreaker", circuitBreaker);
    Checks.notBlank("discovery.retryPolicy", retryPolicy);
    Checks.argument(
        retryPolicy.equals("exponential_backoff") || retryPolicy.equals("fixed") || retryPolicy.equals("none"),
        "discovery.retryPolicy must be exponential_backoff, fixed or none, was \"%s\"",
        retryPolicy);
    Checks.positive("discovery.timeout", timeout);
    Checks.inRange("discovery.maxRetries", maxRetries, 0, 100);
  }

  /** The seed's defaults. */
  public static DiscoveryConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The algorithm for {@code serviceName}: its override, or {@link #algorithm()}. */
  public LoadBalancing algorithmFor(String serviceName) {
    LoadBalancing lb = serviceAlgorithms.get(serviceName);
    return lb == null ? algorithm : lb;
  }

  /** The health check used for instances whose source gave none. */
  public HealthCheck defaultHealthCheck() {
    return new HealthCheck(healthCheckPath, healthCheckInterval, healthCheckTimeout, healthCheckMethod);
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mechanisms = mechanisms;
    b.refreshInterval = refreshInterval;
    b.refreshJitter = refreshJitter;
    b.maxStale = maxStale;
    b.healthCheckInterval = healthCheckInterval;
    b.healthCheckTimeout = healthCheckTimeout;
    b.healthCheckPath = healthCheckPath;
    b.healthCheckMethod = healthCheckMethod;
    b.activeHealthChecks = activeHealthChecks;
    b.failureThreshold = failureThreshold;
    b.healthyThreshold = healthyThreshold;
    b.algorithm = algorithm;
    b.serviceAlgorithms = new LinkedHashMap<>(serviceAlgorithms);
    b.healthScoring = healthScoring;
    b.latencyWeighting = latencyWeighting;
    b.geographicPreference = geographicPreference;
    b.healthWeight = healthWeight;
    b.performanceWeight = performanceWeight;
    b.proximityWeight = proximityWeight;
    b.loadWeight = loadWeight;
    b.latencyThreshold = latencyThreshold;
    b.outlierErrorRate = outlierErrorRate;
    b.outlierMinimumRequests = outlierMinimumRequests;
    b.baseEjectionTime = baseEjectionTime;
    b.maxEjectionTime = maxEjectionTime;
    b.maxEjectionPercent = maxEjectionPercent;
    b.panicThreshold = panicThreshold;
    b.slowStartWindow = slowStartWindow;
    b.slowStartMinWeight = slowStartMinWeight;
    b.peakEwmaDecay = peakEwmaDecay;
    b.circuitBreakerEnabled = circuitBreakerEnabled;
    b.circuitBreaker = circuitBreaker;
    b.retryPolicy = retryPolicy;
    b.timeout = timeout;
    b.maxRetries = maxRetries;
    return b;
  }

  /** Builds a {@link DiscoveryConfig}; not thread-safe. JSON/YAML property names match the methods. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Set<Mechanism> mechanisms = EnumSet.allOf(Mechanism.class);
    private Duration refreshInterval = Duration.ofSeconds(30);
    private double refreshJitter = 0.2;
    private Duration maxStale = Duration.ofMinutes(5);
    private Duration healthCheckInterval = Duration.ofSeconds(10);
    private Duration healthCheckTimeout = Duration.ofSeconds(5);
    private String healthCheckPath = "/health";
    private String healthCheckMethod = "GET";
    private boolean activeHealthChecks = true;
    private int failureThreshold = 3;
    private int healthyThreshold = 2;
    private LoadBalancing algorithm = LoadBalancing.WEIGHTED_ROUND_ROBIN;
    private Map<String, LoadBalancing> serviceAlgorithms = new LinkedHashMap<>();
    private boolean healthScoring = true;
    private boolean latencyWeighting = true;
    private boolean geographicPreference = true;
    private double healthWeight = 0.4;
    private double performanceWeight = 0.3;
    private double proximityWeight = 0.2;
    private double loadWeight = 0.1;
    private Duration latencyThreshold = Duration.ofMillis(100);
    private double outlierErrorRate = 0.5;
    private int outlierMinimumRequests = 10;
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private Duration maxEjectionTime = Duration.ofSeconds(300);
    private int maxEjectionPercent = 50;
    private int panicThreshold = 50;
    private Duration slowStartWindow = Duration.ZERO;
    private double slowStartMinWeight = 0.1;
    private Duration peakEwmaDecay = Duration.ofSeconds(10);
    private boolean circuitBreakerEnabled = true;
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
    private String retryPolicy = "exponential_backoff";
    private Duration timeout = Duration.ofSeconds(5);
    private int maxRetries = 3;

    private Builder() {}

    /** Kinds of sources to query; default all three. */
    public Builder mechanisms(Set<Mechanism> mechanisms) {
      this.mechanisms = mechanisms;
      return this;
    }

    /** Cache TTL; default 30 s. */
    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    /** Refresh jitter fraction in [0, 1); default 0.2. */
    public Builder refreshJitter(double refreshJitter) {
      this.refreshJitter = refreshJitter;
      return this;
    }

    /** How long past TTL a list may be served when refreshing fails; default 5 min. */
    public Builder maxStale(Duration maxStale) {
      this.maxStale = maxStale;
      return this;
    }

    /** Active check interval; default 10 s. */
    public Builder healthCheckInterval(Duration healthCheckInterval) {
      this.healthCheckInterval = healthCheckInterval;
      return this;
    }

    /** Active check timeout; default 5 s. */
    public Builder healthCheckTimeout(Duration healthCheckTimeout) {
      this.healthCheckTimeout = healthCheckTimeout;
      return this;
    }

    /** Default active check path; default {@code /health}. */
    public Builder healthCheckPath(String healthCheckPath) {
      this.healthCheckPath = healthCheckPath;
      return this;
    }

    /** Default active check method; default {@code GET}. */
    public Builder healthCheckMethod(String healthCheckMethod) {
      this.healthCheckMethod = healthCheckMethod;
      return this;
    }

    /** Whether to run active checks when a transport is configured; default true. */
    public Builder activeHealthChecks(boolean activeHealthChecks) {
      this.activeHealthChecks = activeHealthChecks;
      return this;
    }

    /** Consecutive failures to unhealthy/ejected; default 3. */
    public Builder failureThreshold(int failureThreshold) {
      this.failureThreshold = failureThreshold;
      return this;
    }

    /** Consecutive successful checks to healthy; default 2. */
    public Builder healthyThreshold(int healthyThreshold) {
      this.healthyThreshold = healthyThreshold;
      return this;
    }

    /** Default algorithm; default weighted round robin. */
    public Builder algorithm(LoadBalancing algorithm) {
      this.algorithm = algorithm;
      return this;
    }

    /** Per-service algorithms (replaces earlier ones). */
    public Builder serviceAlgorithms(Map<String, LoadBalancing> serviceAlgorithms) {
      this.serviceAlgorithms = serviceAlgorithms == null ? null : new LinkedHashMap<>(serviceAlgorithms);
      return this;
    }

    /** One per-service algorithm. */
    public Builder serviceAlgorithm(String serviceName, LoadBalancing algorithm) {
      this.serviceAlgorithms.put(serviceName, algorithm);
      return this;
    }

    /** Whether health counts in scores; default true. */
    public Builder healthScoring(boolean healthScoring) {
      this.healthScoring = healthScoring;
      return this;
    }

    /** Whether latency counts in scores; default true. */
    public Builder latencyWeighting(boolean latencyWeighting) {
      this.latencyWeighting = latencyWeighting;
      return this;
    }

    /** Whether nearby instances are preferred; default true. */
    public Builder geographicPreference(boolean geographicPreference) {
      this.geographicPreference = geographicPreference;
      return this;
    }

    /** Health score weight; default 0.4. */
    public Builder healthWeight(double healthWeight) {
      this.healthWeight = healthWeight;
      return this;
    }

    /** Performance score weight; default 0.3. */
    public Builder performanceWeight(double performanceWeight) {
      this.performanceWeight = performanceWeight;
      return this;
    }

    /** Proximity score weight; default 0.2. */
    public Builder proximityWeight(double proximityWeight) {
      this.proximityWeight = proximityWeight;
      return this;
    }

    /** Load score weight; default 0.1. */
    public Builder loadWeight(double loadWeight) {
      this.loadWeight = loadWeight;
      return this;
    }

    /** Latency with a perfect latency score; default 100 ms. */
    public Builder latencyThreshold(Duration latencyThreshold) {
      this.latencyThreshold = latencyThreshold;
      return this;
    }

    /** Error rate that ejects; default 0.5. */
    public Builder outlierErrorRate(double outlierErrorRate) {
      this.outlierErrorRate = outlierErrorRate;
      return this;
    }

    /** Calls needed before the error rate ejects; default 10. */
    public Builder outlierMinimumRequests(int outlierMinimumRequests) {
      this.outlierMinimumRequests = outlierMinimumRequests;
      return this;
    }

    /** First ejection time; default 30 s. */
    public Builder baseEjectionTime(Duration baseEjectionTime) {
      this.baseEjectionTime = baseEjectionTime;
      return this;
    }

    /** Longest ejection; default 300 s. */
    public Builder maxEjectionTime(Duration maxEjectionTime) {
      this.maxEjectionTime = maxEjectionTime;
      return this;
    }

    /** Largest ejected percentage; default 50. */
    public Builder maxEjectionPercent(int maxEjectionPercent) {
      this.maxEjectionPercent = maxEjectionPercent;
      return this;
    }

    /** Healthy percentage under which all instances get traffic; default 50, 0 disables. */
    public Builder panicThreshold(int panicThreshold) {
      this.panicThreshold = panicThreshold;
      return this;
    }

    /** Slow-start ramp time; default 0 (off). */
    public Builder slowStartWindow(Duration slowStartWindow) {
      this.slowStartWindow = slowStartWindow;
      return this;
    }

    /** Starting share during slow start; default 0.1. */
    public Builder slowStartMinWeight(double slowStartMinWeight) {
      this.slowStartMinWeight = slowStartMinWeight;
      return this;
    }

    /** Peak-EWMA time constant; default 10 s. */
    public Builder peakEwmaDecay(Duration peakEwmaDecay) {
      this.peakEwmaDecay = peakEwmaDecay;
      return this;
    }

    /** Whether open breakers are skipped; default true. */
    public Builder circuitBreakerEnabled(boolean circuitBreakerEnabled) {
      this.circuitBreakerEnabled = circuitBreakerEnabled;
      return this;
    }

    /** Per-instance breaker settings; default core's defaults. */
    public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
      this.circuitBreaker = circuitBreaker;
      return this;
    }

    /** Refresh retry policy; default {@code exponential_backoff}. */
    public Builder retryPolicy(String retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** Time allowed per source; default 5 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Refresh retries; default 3. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public DiscoveryConfig build() {
      return new DiscoveryConfig(
          mechanisms,
          refreshInterval,
          refreshJitter,
          maxStale,
          healthCheckInterval,
          healthCheckTimeout,
          healthCheckPath,
          healthCheckMethod,
          activeHealthChecks,
          failureThreshold,
          healthyThreshold,
          algorithm,
          serviceAlgorithms,
          healthScoring,
          latencyWeighting,
          geographicPreference,
          healthWeight,
          performanceWeight,
          proximityWeight,
          loadWeight,
          latencyThreshold,
          outlierErrorRate,
          outlierMinimumRequests,
          baseEjectionTime,
          maxEjectionTime,
          maxEjectionPercent,
          panicThreshold,
          slowStartWindow,
          slowStartMinWeight,
          peakEwmaDecay,
          circuitBreakerEnabled,
          circuitBreaker,
          retryPolicy,
          timeout,
          maxRetries);
    }
  }
}
