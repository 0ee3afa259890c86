package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * Limits retries to a fraction of requests so that retries cannot multiply an outage: each request
 * to a destination earns {@code ratio} of a retry, each retry spends one, and at most the
 * earnings of the last 100 requests are saved. On top of that, {@code minRetriesPerSecond}
 * retries per second are always allowed so that a service with little traffic can still retry.
 * Immutable.
 *
 * @param ratio retries per request, in [0, 1]; default 0.2 (Envoy's and Finagle's default)
 * @param minRetriesPerSecond retries per second allowed regardless of the ratio, {@code >= 0};
 *     default 10
 */
@JsonDeserialize(builder = RetryBudget.Builder.class)
public record RetryBudget(double ratio, int minRetriesPerSecond) {

  /** Validates the fields. */
  public RetryBudget {
    Checks.inRange("retryBudget.ratio", ratio, 0.0, 1.0);
    Checks.nonNegative("retryBudget.minRetriesPerSecond", minRetriesPerSecond);
  }

  /** The defaults: 20 % of requests plus 10 retries per second. */
  public static RetryBudget defaults() {
    return builder().build();
  }

  /** A budget allowing {@code ratio} retries per request and no floor. */
  public static RetryBudget ofRatio(double ratio) {
    return new RetryBudget(ratio, 0);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RetryBudget}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private double ratio = 0.2;
    private int minRetriesPerSecond = 10;

    Builder() {}

    /** Retries per request. */
    public Builder ratio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** Floor in retries per second. */
    public Builder minRetriesPerSecond(int minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /** The budget; fails naming the invalid field. */
    public RetryBudget build() {
      return new RetryBudget(ratio, minRetriesPerSecond);
    }
  }
}
