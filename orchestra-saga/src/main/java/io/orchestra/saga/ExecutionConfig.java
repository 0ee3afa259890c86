package io.orchestra.saga;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.core.transport.CallOutcome;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How forward steps run: the seed's {@code execution} section. Immutable; JSON/YAML-loadable.
 *
 * @param timeout the whole saga must finish its compensatable steps within this; default 5 min.
 *     Retry-only steps (the pivot and after) are not bound by it, see docs/saga.md.
 * @param stepTimeout the time allowed for one attempt of one step; default 30 s
 * @param maxRetries retries after the first attempt of a step; default 3
 * @param retryBackoff delays between attempts; default exponential with full jitter from 200 ms,
 *     doubling, capped at 10 s
 * @param retryOn failure kinds that are retried; default every failure except 4xx responses and
 *     cancellation (steps carry idempotency keys, so timeouts and resets are safe to retry)
 */
@JsonDeserialize(builder = ExecutionConfig.Builder.class)
public record ExecutionConfig(
    Duration timeout,
    Duration stepTimeout,
    int maxRetries,
    Backoff retryBackoff,
    Set<CallOutcome> retryOn) {

  /** Validates every field. */
  public ExecutionConfig {
    Checks.positive("execution.timeout", timeout);
    Checks.positive("execution.stepTimeout", stepTimeout);
    Checks.inRange("execution.maxRetries", maxRetries, 0, 1000);
    Checks.notNull("execution.retryBackoff", retryBackoff);
    Checks.noNulls("execution.retryOn", Checks.notNull("execution.retryOn", retryOn));
    Checks.argument(
        !retryOn.contains(CallOutcome.SUCCESS), "execution.retryOn must not contain SUCCESS");
    retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
  }

  /** The defaults. */
  public static ExecutionConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    return new Builder()
        .timeout(timeout)
        .stepTimeout(stepTimeout)
        .maxRetries(maxRetries)
        .retryBackoff(retryBackoff)
        .retryOn(retryOn);
  }

  /** The retry policy of steps that do not set their own. */
  public RetryPolicy retryPolicy() {
    return RetryPolicy.builder().maxRetries(maxRetries).backoff(retryBackoff).retryOn(retryOn).build();
  }

  /** Every failure kind except 4xx and cancellation. */
  static Set<CallOutcome> defaultRetryOn() {
    return EnumSet.of(
        CallOutcome.SERVER_ERROR,
        CallOutcome.GATEWAY_ERROR,
        CallOutcome.CONNECT_FAILURE,
        CallOutcome.TIMEOUT,
        CallOutcome.RESET,
        CallOutcome.TLS_FAILURE,
        CallOutcome.FAILURE);
  }

  /** Builds an {@link ExecutionConfig}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Duration timeout = Duration.ofMinutes(5);
    private Duration stepTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Backoff retryBackoff =
        Backoff.fullJitter(Duration.ofMillis(200), 2, Duration.ofSeconds(10));
    private Set<CallOutcome> retryOn = defaultRetryOn();

    private Builder() {}

    /** Total time for the compensatable part of a saga. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Time for one attempt of one step. */
    public Builder stepTimeout(Duration stepTimeout) {
      this.stepTimeout = stepTimeout;
      return this;
    }

    /** Retries after the first attempt. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** Delays between attempts. */
    public Builder retryBackoff(Backoff retryBackoff) {
      this.retryBackoff = retryBackoff;
      return this;
    }

    /** Failure kinds that are retried. */
    public Builder retryOn(Set<CallOutcome> retryOn) {
      this.retryOn = retryOn;
      return this;
    }

    /** The configuration; fails naming the first invalid field. */
    public ExecutionConfig build() {
      return new ExecutionConfig(timeout, stepTimeout, maxRetries, retryBackoff, retryOn);
    }
  }
}
