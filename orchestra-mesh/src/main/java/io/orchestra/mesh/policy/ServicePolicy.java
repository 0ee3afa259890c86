package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Traffic policy of one destination service: its subsets, traffic-splitting rules, default route,
 * and optional overrides of the manager's balancing, retry, circuit breaker and timeout settings.
 * Immutable.
 *
 * <p>Routing: rules are tried in order; the first rule whose match holds and whose weighted
 * subsets have instances decides. When no rule decides, {@code defaultRoute} applies (its weighted
 * subsets); without a default route, or when its subsets are empty, every instance is a candidate
 * (the seed's "default"/"fallback").
 *
 * @param subsets subset name to instance labels; an instance belongs to a subset when it has all
 *     of the labels
 * @param routeKeyHeader header whose value is the request key hashed for percentages and weights;
 *     default {@code x-route-key} (when a request lacks it: its trace id, which is stable across
 *     its retries and hops, else the client address, else a random value)
 * @param rules ordered traffic-splitting rules
 * @param defaultRoute weighted subsets for requests no rule takes; empty = all instances
 * @param loadBalancing overrides the manager's balancing, or null
 * @param retryPolicy overrides the manager's retry policy, or null
 * @param circuitBreaker overrides the manager's service breaker settings, or null
 * @param instanceCircuitBreaker overrides the manager's per-instance breaker settings, or null
 * @param timeout overrides the manager's overall request timeout, or null
 */
@JsonDeserialize(builder = ServicePolicy.Builder.class)
public record ServicePolicy(
    Map<String, Map<String, String>> subsets,
    String routeKeyHeader,
    List<RouteRule> rules,
    List<WeightedDestination> defaultRoute,
    LoadBalancing loadBalancing,
    MeshRetryPolicy retryPolicy,
    CircuitBreakerConfig circuitBreaker,
    CircuitBreakerConfig instanceCircuitBreaker,
    Duration timeout) {

  /** Default {@link #routeKeyHeader}. */
  public static final String DEFAULT_ROUTE_KEY_HEADER = "x-route-key";

  /** Validates every field and every reference to a subset. */
  public ServicePolicy {
    subsets = copySubsets(subsets);
    routeKeyHeader =
        Checks.notBlank("service.routeKeyHeader", routeKeyHeader).trim().toLowerCase(Locale.ROOT);
    rules = rules == null ? List.of() : List.copyOf(Checks.noNulls("service.rules", rules));
    Set<String> names = new HashSet<>();
    for (RouteRule r : rules) {
      Checks.argument(names.add(r.name()), "service.rules has two rules named \"%s\"", r.name());
      for (WeightedDestination d : r.destinations()) {
        Checks.argument(
            subsets.containsKey(d.subset()),
            "route[%s] sends traffic to undefined subset \"%s\" (defined: %s)",
            r.name(),
            d.subset(),
            subsets.keySet());
      }
    }
    if (defaultRoute == null || defaultRoute.isEmpty()) {
      defaultRoute = List.of();
    } else {
      defaultRoute = RouteRule.checkWeights("service.defaultRoute", defaultRoute);
      for (WeightedDestination d : defaultRoute) {
        Checks.argument(
            subsets.containsKey(d.subset()),
            "service.defaultRoute sends traffic to undefined subset \"%s\" (defined: %s)",
            d.subset(),
            subsets.keySet());
      }
    }
    if (timeout != null) {
      Checks.positive("service.timeout", timeout);
    }
  }

  /** A policy with no subsets or rules: every instance, manager defaults. */
  public static ServicePolicy empty() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  private static Map<String, Map<String, String>> copySubsets(Map<String, Map<String, String>> subsets) {
    if (subsets == null || subsets.isEmpty()) {
      return Map.of();
    }
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    subsets.forEach(
        (name, labels) -> {
          Checks.notBlank("service.subsets name", name);
          Checks.notNull("service.subsets[" + name + "]", labels);
          Map<String, String> l = new LinkedHashMap<>();
          labels.forEach(
              (k, v) ->
                  l.put(
                      Checks.notBlank("service.subsets[" + name + "] label", k),
                      Checks.notNull("service.subsets[" + name + "][" + k + "]", v)));
          copy.put(name, Collections.unmodifiableMap(l));
        });
    return Collections.unmodifiableMap(copy);
  }

  /** Builds a {@link ServicePolicy}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    private String routeKeyHeader = DEFAULT_ROUTE_KEY_HEADER;
    private List<RouteRule> rules = new ArrayList<>();
    private List<WeightedDestination> defaultRoute = List.of();
    private LoadBalancing loadBalancing;
    private MeshRetryPolicy retryPolicy;
    private CircuitBreakerConfig circuitBreaker;
    private CircuitBreakerConfig instanceCircuitBreaker;
    private Duration timeout;

    Builder() {}

    /** Replaces the subsets. */
    public Builder subsets(Map<String, Map<String, String>> subsets) {
      this.subsets = subsets == null ? new LinkedHashMap<>() : new LinkedHashMap<>(subsets);
      return this;
    }

    /** Adds a subset: instances carrying all of {@code labels}. */
    public Builder subset(String name, Map<String, String> labels) {
      this.subsets.put(name, labels);
      return this;
    }

    /** The request-key header. */
    public Builder routeKeyHeader(String header) {
      this.routeKeyHeader = header;
      return this;
    }

    /** Replaces the rules. */
    public Builder rules(List<RouteRule> rules) {
      this.rules = rules == null ? new ArrayList<>() : new ArrayList<>(rules);
      return this;
    }

    /** Appends a rule. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Builder rule(RouteRule rule) {
      this.rules.add(rule);
      return this;
    }

    /** The default route's weighted subsets. */
    public Builder defaultRoute(List<WeightedDestination> defaultRoute) {
      this.defaultRoute = defaultRoute;
      return this;
    }

    /** Balancing override. */
    public Builder loadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = loadBalancing;
      return this;
    }

    /** Retry override. */
    public Builder retryPolicy(MeshRetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** Circuit breaker override. */
    public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
      this.circuitBreaker = circuitBreaker;
      return this;
    }

    /** Per-instance circuit breaker override. */
    public Builder instanceCircuitBreaker(CircuitBreakerConfig instanceCircuitBreaker) {
      this.instanceCircuitBreaker = instanceCircuitBreaker;
      return this;
    }

    /** Overall timeout override. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public ServicePolicy build() {
      return new ServicePolicy(
          subsets,
          routeKeyHeader,
          rules,
          defaultRoute,
          loadBalancing,
          retryPolicy,
          circuitBreaker,
          instanceCircuitBreaker,
          timeout);
    }
  }
}
