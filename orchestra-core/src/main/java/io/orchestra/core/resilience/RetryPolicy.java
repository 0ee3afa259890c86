package io.orchestra.core.resilience;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.CallOutcome;
import java.util.EnumSet;
import java.util.Set;

/**
 * When to retry and how long to wait: a maximum number of retries, a {@link Backoff}, and the
 * outcomes (plus individual status codes) that may be retried. Immutable; JSON/YAML-loadable.
 * Run it with {@link AsyncRetry}.
 *
 * @param maxRetries retries after the first attempt, 0..1000; default 3
 * @param backoff the delays; default exponential full jitter from 100 ms, capped at 10 s
 * @param retryOn outcome classes that are retried; default server errors, gateway errors and
 *     connect failures (the seed's {@code 5xx, gateway-error, connect-failure})
 * @param retriableStatusCodes additional status codes that are retried (for example 409); default
 *     none
 */
@JsonDeserialize(builder = RetryPolicy.Builder.class)
public record RetryPolicy(
    int maxRetries, Backoff backoff, Set<CallOutcome> retryOn, Set<Integer> retriableStatusCodes) {

  /** Validates the fields. */
  public RetryPolicy {
    Checks.inRange("retry.maxRetries", maxRetries, 0, 1000);
    Checks.notNull("retry.backoff", backoff);
    Checks.noNulls("retry.retryOn", Checks.notNull("retry.retryOn", retryOn));
    Checks.argument(
        !retryOn.contains(CallOutcome.SUCCESS), "retry.retryOn must not contain SUCCESS");
    Checks.noNulls(
        "retry.retriableStatusCodes", Checks.notNull("retry.retriableStatusCodes", retriableStatusCodes));
    for (int code : retriableStatusCodes) {
      Checks.inRange("retry.retriableStatusCodes[]", code, 100, 599);
    }
    retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
    retriableStatusCodes = Set.copyOf(retriableStatusCodes);
  }

  /** No retries. */
  public static RetryPolicy none() {
    return builder().maxRetries(0).build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxRetries(maxRetries)
        .backoff(backoff)
        .retryOn(retryOn)
        .retriableStatusCodes(retriableStatusCodes);
  }

  /** Whether an attempt that ended in {@code outcome} (with {@code status}, 0 if none) may be retried. */
  public boolean isRetriable(CallOutcome outcome, int status) {
    return retryOn.contains(outcome) || (status != 0 && retriableStatusCodes.contains(status));
  }

  /** Builds a {@link RetryPolicy}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int maxRetries = 3;
    private Backoff backoff = Backoff.builder().build();
    private Set<CallOutcome> retryOn =
        EnumSet.of(CallOutcome.SERVER_ERROR, CallOutcome.GATEWAY_ERROR, CallOutcome.CONNECT_FAILURE);
    private Set<Integer> retriableStatusCodes = Set.of();

    private Builder() {}

    /** Retries after the first attempt. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** The delays between attempts. */
    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** Outcome classes to retry. */
    public Builder retryOn(Set<CallOutcome> outcomes) {
      this.retryOn = outcomes;
      return this;
    }

    /** Extra status codes to retry. */
    public Builder retriableStatusCodes(Set<Integer> codes) {
      this.retriableStatusCodes = codes;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public RetryPolicy build() {
      return new RetryPolicy(maxRetries, backoff, retryOn, retriableStatusCodes);
    }
  }
}
