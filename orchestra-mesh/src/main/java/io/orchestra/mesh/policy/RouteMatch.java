package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.util.Map;

/**
 * The conditions of a {@link RouteRule}; every condition that is set must hold. Immutable.
 *
 * @param headers header name to match; each must be present and match
 * @param path match against the path without its query string, or null for any path
 * @param source the calling service ({@code PeerContext.sourceService()}), or null for any
 * @param percentage share of matching requests (0, 100] that the rule takes, decided by a stable
 *     hash of the request key so that one key is always on the same side; null = all
 */
@JsonDeserialize(builder = RouteMatch.Builder.class)
public record RouteMatch(Map<String, StringMatch> headers, StringMatch path, String source, Double percentage) {

  private static final RouteMatch ANY = new RouteMatch(Map.of(), null, null, null);

  /** Validates the fields. */
  public RouteMatch {
    headers = Patterns.headers("match.headers", headers);
    if (source != null) {
      Checks.notBlank("match.source", source);
    }
    if (percentage != null) {
      Checks.argument(
          percentage > 0 && percentage <= 100,
          "match.percentage must be in (0, 100], was %s",
          percentage);
    }
  }

  /** A match that every request satisfies. */
  public static RouteMatch any() {
    return ANY;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RouteMatch}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Map<String, StringMatch> headers = Map.of();
    private StringMatch path;
    private String source;
    private Double percentage;

    Builder() {}

    /** Header matches (all must hold). */
    public Builder headers(Map<String, StringMatch> headers) {
      this.headers = headers;
      return this;
    }

    /** One header that must match exactly (adds to the others). */
    public Builder header(String name, StringMatch match) {
      java.util.Map<String, StringMatch> copy = new java.util.LinkedHashMap<>(headers);
      copy.put(name, match);
      this.headers = copy;
      return this;
    }

    /** The path match. */
    public Builder path(StringMatch path) {
      this.path = path;
      return this;
    }

    /** The calling service. */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** The percentage of matching requests taken. */
    public Builder percentage(Double percentage) {
      this.percentage = percentage;
      return this;
    }

    /** The match. */
    public RouteMatch build() {
      return new RouteMatch(headers, path, source, percentage);
    }
  }
}
