package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.util.List;
import java.util.Map;

/**
 * One authorization rule: when every condition that is set matches a request, the policy applies
 * and its {@link Action} decides. Within a list any entry may match (OR); across fields all must
 * match (AND); an empty list or map matches everything.
 *
 * <p>Evaluation (see {@code docs/mesh.md}): DENY policies first, in order; then ALLOW policies, in
 * order; when no ALLOW policy applies the request is denied (default deny). Immutable and
 * thread-safe.
 *
 * @param name unique name, reported in decisions
 * @param action ALLOW or DENY; default ALLOW
 * @param destinations destination services the policy protects; empty = every service
 * @param principals source identities: exact, {@code *}, or a prefix ending in {@code *}
 * @param namespaces source namespaces (exact)
 * @param methods request methods (upper-cased)
 * @param paths path matches against the path without its query string
 * @param headers header name to match; all listed headers must be present and match. A header
 *     sent more than once meets an ALLOW policy's condition only when every value matches, and a
 *     DENY policy's when any value does
 */
@JsonDeserialize(builder = AuthorizationPolicy.Builder.class)
public record AuthorizationPolicy(
    String name,
    Action action,
    List<String> destinations,
    List<String> principals,
    List<String> namespaces,
    List<String> methods,
    List<StringMatch> paths,
    Map<String, StringMatch> headers) {

  /** What a policy does when it applies. */
  public enum Action {
    /** Allows the request unless a DENY policy applies too. */
    ALLOW,
    /** Denies the request; wins over any ALLOW. */
    DENY
  }

  /** Validates and copies every field. */
  public AuthorizationPolicy {
    Checks.notBlank("authorization.name", name);
    String f = "authorization[" + name + "].";
    Checks.notNull(f + "action", action);
    destinations = Patterns.strings(f + "destinations", destinations);
    principals = Patterns.identityPatterns(f + "principals", principals);
    namespaces = Patterns.strings(f + "namespaces", namespaces);
    methods = Patterns.methods(f + "methods", methods);
    paths = paths == null ? List.of() : List.copyOf(Checks.noNulls(f + "paths", paths));
    headers = Patterns.headers(f + "headers", headers);
  }

  /** A builder for an ALLOW policy named {@code name}. */
  public static Builder allow(String name) {
    return new Builder().name(name).action(Action.ALLOW);
  }

  /** A builder for a DENY policy named {@code name}. */
  public static Builder deny(String name) {
    return new Builder().name(name).action(Action.DENY);
  }

  /** Builds an {@link AuthorizationPolicy}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String name;
    private Action action = Action.ALLOW;
    private List<String> destinations = List.of();
    private List<String> principals = List.of();
    private List<String> namespaces = List.of();
    private List<String> methods = List.of();
    private List<StringMatch> paths = List.of();
    private Map<String, StringMatch> headers = Map.of();

    Builder() {}

    /** Unique name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** ALLOW (default) or DENY. */
    public Builder action(Action action) {
      this.action = action;
      return this;
    }

    /** Destination services; empty = all. */
    public Builder destinations(List<String> destinations) {
      this.destinations = destinations;
      return this;
    }

    /** Source identity patterns. */
    public Builder principals(List<String> principals) {
      this.principals = principals;
      return this;
    }

    /** Source namespaces. */
    public Builder namespaces(List<String> namespaces) {
      this.namespaces = namespaces;
      return this;
    }

    /** Methods. */
    public Builder methods(List<String> methods) {
      this.methods = methods;
      return this;
    }

    /** Path matches (any may match). */
    public Builder paths(List<StringMatch> paths) {
      this.paths = paths;
      return this;
    }

    /** Header matches (all must match). */
    public Builder headers(Map<String, StringMatch> headers) {
      this.headers = headers;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public AuthorizationPolicy build() {
      return new AuthorizationPolicy(
          name, action, destinations, principals, namespaces, methods, paths, headers);
    }
  }
}
