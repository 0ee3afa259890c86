package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.TokenBucket;
import java.util.List;
import java.util.Locale;

/**
 * A rate limit: one core {@link TokenBucket} per destination service and per value of the {@link
 * Key}. Every policy that applies to a request must grant a permit. At most {@code
 * maxTrackedKeys} buckets are kept per destination; buckets that have refilled completely are
 * dropped first (dropping one loses nothing), and when every tracked bucket is still in use new
 * keys share one overflow bucket with the same limit. Immutable and thread-safe.
 *
 * @param name unique name, reported in denials
 * @param destinations destination services it applies to; empty = every service
 * @param key what separates callers
 * @param header the header whose value is the key (only for {@link Key#HEADER})
 * @param limit permits per period and burst
 * @param maxTrackedKeys buckets kept per destination, 1..10,000,000; default 10,000
 */
@JsonDeserialize(builder = RateLimitPolicy.Builder.class)
public record RateLimitPolicy(
    String name,
    List<String> destinations,
    Key key,
    String header,
    TokenBucket.Config limit,
    int maxTrackedKeys) {

  /** Default {@link #maxTrackedKeys}. */
  public static final int DEFAULT_MAX_TRACKED_KEYS = 10_000;

  /** What a bucket is kept for. */
  public enum Key {
    /** One bucket per destination service (the service's total rate). */
    DESTINATION,
    /** One bucket per source identity (requests without identity share one bucket). */
    SOURCE_IDENTITY,
    /** One bucket per request path without its query string. */
    PATH,
    /** One bucket per value of {@code header} (requests without it share one bucket). */
    HEADER
  }

  /** Validates every field. */
  public RateLimitPolicy {
    Checks.notBlank("rateLimit.name", name);
    String f = "rateLimit[" + name + "].";
    destinations = Patterns.strings(f + "destinations", destinations);
    Checks.notNull(f + "key", key);
    if (key == Key.HEADER) {
      header = Checks.notBlank(f + "header", header).trim().toLowerCase(Locale.ROOT);
    } else {
      Checks.argument(header == null, "%sheader is only allowed with key HEADER, key is %s", f, key);
    }
    Checks.notNull(f + "limit", limit);
    Checks.inRange(f + "maxTrackedKeys", maxTrackedKeys, 1, 10_000_000);
  }

  /** A builder for a policy named {@code name}. */
  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** Builds a {@link RateLimitPolicy}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String name;
    private List<String> destinations = List.of();
    private Key key = Key.DESTINATION;
    private String header;
    private TokenBucket.Config limit;
    private int maxTrackedKeys = DEFAULT_MAX_TRACKED_KEYS;

    Builder() {}

    /** Unique name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Destination services; empty = all. */
    public Builder destinations(List<String> destinations) {
      this.destinations = destinations;
      return this;
    }

    /** The key; default DESTINATION. */
    public Builder key(Key key) {
      this.key = key;
      return this;
    }

    /** Header name for {@link Key#HEADER}. */
    public Builder header(String header) {
      this.header = header;
      return this;
    }

    /** The bucket settings (required). */
    public Builder limit(TokenBucket.Config limit) {
      this.limit = limit;
      return this;
    }

    /** Tracked buckets per destination; default 10,000. */
    public Builder maxTrackedKeys(int maxTrackedKeys) {
      this.maxTrackedKeys = maxTrackedKeys;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public RateLimitPolicy build() {
      return new RateLimitPolicy(name, destinations, key, header, limit, maxTrackedKeys);
    }
  }
}
