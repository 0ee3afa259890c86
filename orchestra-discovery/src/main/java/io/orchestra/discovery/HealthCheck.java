package io.orchestra.discovery;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;
import java.util.Locale;

/**
 * How an instance is actively health-checked: an HTTP request of {@code method} on {@code path}
 * every {@code interval}, failed when it takes longer than {@code timeout} or answers anything
 * but 1xx-3xx. Immutable; the seed's defaults are {@code GET /health} every 10 s with a 5 s
 * timeout.
 *
 * @param path request path, starting with {@code /}
 * @param interval time between two checks, positive
 * @param timeout time allowed for one check, positive
 * @param method HTTP method, upper case
 */
@JsonDeserialize(builder = HealthCheck.Builder.class)
public record HealthCheck(String path, Duration interval, Duration timeout, String method) {

  /** Validates every field, naming the bad one. */
  public HealthCheck {
    Checks.notBlank("healthCheck.path", path);
    Checks.argument(path.startsWith("/"), "healthCheck.path must start with '/', was \"%s\"", path);
    Checks.positive("healthCheck.interval", interval);
    Checks.positive("healthCheck.timeout", timeout);
    method = Checks.notBlank("healthCheck.method", method).trim().toUpperCase(Locale.ROOT);
  }

  /** {@code GET /health} every 10 s, 5 s timeout. */
  public static HealthCheck defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this check's values. */
  public Builder toBuilder() {
    return new Builder().path(path).interval(interval).timeout(timeout).method(method);
  }

  /** Builds a {@link HealthCheck}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String path = "/health";
    private Duration interval = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(5);
    private String method = "GET";

    private Builder() {}

    /** Request path; default {@code /health}. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** Time between checks; default 10 s. */
    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Time allowed per check; default 5 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** HTTP method; default {@code GET}. */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /**
     * The check.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public HealthCheck build() {
      return new HealthCheck(path, interval, timeout, method);
    }
  }
}
