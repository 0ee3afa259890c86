package io.orchestra.mesh.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.internal.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every policy a traffic manager applies, as one immutable document: mTLS trust and allowed
 * identities, authorization policies, rate limits, and per-service traffic policies (subsets,
 * splitting rules, and retry/circuit-breaker/balancing overrides).
 *
 * <p>Built in code or loaded from JSON/YAML ({@link #fromYaml}, {@link #fromJson}, {@link
 * #fromFile}); every problem (a regular expression that does not compile, weights that do not add
 * up to 100, a malformed certificate, a route to an undefined subset, a duplicate name) fails here,
 * at load time, with a message naming the field. A traffic manager swaps the whole document
 * atomically: a request sees the old or the new policies, never a mix.
 *
 * @param mtls trust bundle and allowed identities
 * @param authorization authorization policies, in order
 * @param rateLimits rate limits
 * @param services traffic policy per destination service name
 */
@JsonDeserialize(builder = MeshPolicies.Builder.class)
public record MeshPolicies(
    MtlsPolicy mtls,
    List<AuthorizationPolicy> authorization,
    List<RateLimitPolicy> rateLimits,
    Map<String, ServicePolicy> services) {

  private static final MeshPolicies EMPTY = builder().build();

  /** Validates the document: names are unique and every part is valid. */
  public MeshPolicies {
    mtls = mtls == null ? MtlsPolicy.none() : mtls;
    authorization =
        authorization == null ? List.of() : List.copyOf(Checks.noNulls("authorization", authorization));
    rateLimits = rateLimits == null ? List.of() : List.copyOf(Checks.noNulls("rateLimits", rateLimits));
    Set<String> names = new HashSet<>();
    for (AuthorizationPolicy p : authorization) {
      Checks.argument(names.add(p.name()), "authorization has two policies named \"%s\"", p.name());
    }
    names.clear();
    for (RateLimitPolicy p : rateLimits) {
      Checks.argument(names.add(p.name()), "rateLimits has two policies named \"%s\"", p.name());
    }
    if (services == null || services.isEmpty()) {
      services = Map.of();
    } else {
      Map<String, ServicePolicy> copy = new LinkedHashMap<>();
      services.forEach(
          (service, policy) ->
              copy.put(
                  Checks.notBlank("services name", service),
                  Checks.notNull("services[" + service + "]", policy)));
      services = Collections.unmodifiableMap(copy);
    }
  }

  /** No policies at all (with authorization enabled, every request is denied: default deny). */
  public static MeshPolicies empty() {
    return EMPTY;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this document's values. */
  public Builder toBuilder() {
    return new Builder()
        .mtls(mtls)
        .authorization(authorization)
        .rateLimits(rateLimits)
        .services(services);
  }

  /**
   * Parses YAML.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshPolicies fromYaml(String yaml) {
    return ConfigLoader.fromYaml(yaml, MeshPolicies.class);
  }

  /**
   * Parses JSON.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshPolicies fromJson(String json) {
    return ConfigLoader.fromJson(json, MeshPolicies.class);
  }

  /**
   * Reads a {@code .json}, {@code .yaml} or {@code .yml} file.
   *
   * @throws io.orchestra.core.config.ConfigException naming the property path and the problem
   */
  public static MeshPolicies fromFile(Path file) {
    return ConfigLoader.fromFile(file, MeshPolicies.class);
  }

  /** Builds a {@link MeshPolicies}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private MtlsPolicy mtls = MtlsPolicy.none();
    private List<AuthorizationPolicy> authorization = new ArrayList<>();
    private List<RateLimitPolicy> rateLimits = new ArrayList<>();
    private Map<String, ServicePolicy> services = new LinkedHashMap<>();

    Builder() {}

    /** mTLS settings. */
    public Builder mtls(MtlsPolicy mtls) {
      this.mtls = mtls;
      return this;
    }

    /** Replaces the authorization policies. */
    public Builder authorization(List<AuthorizationPolicy> policies) {
      this.authorization = policies == null ? new ArrayList<>() : new ArrayList<>(policies);
      return this;
    }

    /** Appends an authorization policy. */
    @JsonIgnore
    public Builder authorize(AuthorizationPolicy policy) {
      this.authorization.add(policy);
      return this;
    }

    /** Replaces the rate limits. */
    public Builder rateLimits(List<RateLimitPolicy> policies) {
      this.rateLimits = policies == null ? new ArrayList<>() : new ArrayList<>(policies);
      return this;
    }

    /** Appends a rate limit. */
    @JsonIgnore
    public Builder rateLimit(RateLimitPolicy policy) {
      this.rateLimits.add(policy);
      return this;
    }

    /** Replaces the service policies. */
    public Builder services(Map<String, ServicePolicy> services) {
      this.services = services == null ? new LinkedHashMap<>() : new LinkedHashMap<>(services);
      return this;
    }

    /** Sets the policy of one service. */
    @JsonIgnore
    public Builder service(String name, ServicePolicy policy) {
      this.services.put(name, policy);
      return this;
    }

    /** The document; fails naming the first invalid field. */
    public MeshPolicies build() {
      return new MeshPolicies(mtls, authorization, rateLimits, services);
    }
  }
}
