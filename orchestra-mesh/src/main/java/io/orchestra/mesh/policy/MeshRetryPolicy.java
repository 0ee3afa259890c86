package io.orchestra.mesh.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.Backoff;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the traffic manager retries a request: which failed attempts are retried, how many times,
 * how long each attempt may take, how long to wait between attempts, and the {@link RetryBudget}.
 * Every retry goes to a different instance of the chosen subset when there is one. Immutable;
 * JSON/YAML-loadable.
 *
 * @param maxRetries retries after the first attempt, 0..100; default 3 (seed)
 * @param retryOn retried classes; default {@code 5xx, gateway-error, connect-failure} (seed)
 * @param retriableStatusCodes statuses retried when {@code retryOn} has {@code
 *     retriable-status-codes}; default none
 * @param perTryTimeout time allowed for one attempt; default 5 s (seed)
 * @param backoff delay before each retry; default exponential from 1 s, doubling, capped at 10 s
 *     (seed) with equal jitter (each delay is uniform in [half, full] of the exponential value)
 * @param budget the retry budget; default {@link RetryBudget#defaults()}
 */
@JsonDeserialize(builder = MeshRetryPolicy.Builder.class)
public record MeshRetryPolicy(
    int maxRetries,
    Set<RetryOn> retryOn,
    Set<Integer> retriableStatusCodes,
    Duration perTryTimeout,
    Backoff backoff,
    RetryBudget budget) {

  /** The default backoff: 1 s, 2 s, 4 s, ... capped at 10 s, with equal jitter. */
  public static final Backoff DEFAULT_BACKOFF =
      new Backoff(Backoff.Type.EXPONENTIAL_EQUAL_JITTER, Duration.ofSeconds(1), 2, Duration.ofSeconds(10));

  /** Validates every field. */
  public MeshRetryPolicy {
    Checks.inRange("retryPolicy.maxRetries", maxRetries, 0, 100);
    Checks.noNulls("retryPolicy.retryOn", Checks.notNull("retryPolicy.retryOn", retryOn));
    Checks.noNulls(
        "retryPolicy.retriableStatusCodes",
        Checks.notNull("retryPolicy.retriableStatusCodes", retriableStatusCodes));
    for (int code : retriableStatusCodes) {
      Checks.inRange("retryPolicy.retriableStatusCodes[]", code, 100, 599);
    }
    boolean listed = retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES);
    Checks.argument(
        listed == !retriableStatusCodes.isEmpty(),
        listed
            ? "retryPolicy.retryOn has retriable-status-codes but retryPolicy.retriableStatusCodes is empty"
            : "retryPolicy.retriableStatusCodes %s are never retried: add retriable-status-codes to retryPolicy.retryOn",
        retriableStatusCodes);
    Checks.positive("retryPolicy.perTryTimeout", perTryTimeout);
    Checks.notNull("retryPolicy.backoff", backoff);
    Checks.notNull("retryPolicy.budget", budget);
    retryOn = retryOn.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(retryOn));
    retriableStatusCodes = java.util.Collections.unmodifiableSet(new TreeSet<>(retriableStatusCodes));
  }

  /** The seed's defaults. */
  public static MeshRetryPolicy defaults() {
    return builder().build();
  }

  /** No retries (other settings default). */
  public static MeshRetryPolicy none() {
    return builder().maxRetries(0).build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxRetries(maxRetries)
        .retryOn(retryOn)
        .retriableStatusCodes(retriableStatusCodes)
        .perTryTimeout(perTryTimeout)
        .backoff(backoff)
        .budget(budget);
  }

  /** Builds a {@link MeshRetryPolicy}; not thread-safe. Property names match JSON/YAML. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int maxRetries = 3;
    private Set<RetryOn> retryOn =
        EnumSet.of(RetryOn.SERVER_ERROR, RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE);
    private Set<Integer> retriableStatusCodes = Set.of();
    private Duration perTryTimeout = Duration.ofSeconds(5);
    private Backoff backoff = DEFAULT_BACKOFF;
    private RetryBudget budget = RetryBudget.defaults();

    Builder() {}

    /** Retries after the first attempt. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** Retried classes. */
    public Builder retryOn(Set<RetryOn> retryOn) {
      this.retryOn = retryOn;
      return this;
    }

    /** Statuses retried with {@code retriable-status-codes}. */
    public Builder retriableStatusCodes(Set<Integer> codes) {
      this.retriableStatusCodes = codes;
      return this;
    }

    /** Time per attempt. */
    public Builder perTryTimeout(Duration perTryTimeout) {
      this.perTryTimeout = perTryTimeout;
      return this;
    }

    /** Delay between attempts. */
    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** The retry budget. */
    public Builder budget(RetryBudget budget) {
      this.budget = budget;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public MeshRetryPolicy build() {
      return new MeshRetryPolicy(maxRetries, retryOn, retriableStatusCodes, perTryTimeout, backoff, budget);
    }
  }
}
