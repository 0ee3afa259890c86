package io.orchestra.core.resilience;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.CallOutcome;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Immutable settings of a {@link CircuitBreaker}. Defaults follow common practice (and
 * Resilience4j's, so that users switching over find familiar numbers).
 *
 * @param failureRateThreshold percentage (0, 100] of failed calls at which the circuit opens;
 *     default 50
 * @param slowCallRateThreshold percentage (0, 100] of slow calls at which the circuit opens;
 *     default 100
 * @param slowCallDuration calls at least this long are slow; default 60 s
 * @param slidingWindowType count-based (last N calls) or time-based (last N seconds); default
 *     count-based
 * @param slidingWindowSize N calls (1..1,048,575) or N seconds (1..3,600); default 100
 * @param minimumNumberOfCalls calls needed in the window before rates are judged; default 100
 * @param waitDurationInOpenState how long the circuit stays open before probing; default 60 s
 * @param permittedCallsInHalfOpenState probes admitted in half-open state; default 10
 * @param failureOutcomes outcomes counted as failures; default every failure kind (all but
 *     success and 4xx; cancellations are never recorded)
 */
@JsonDeserialize(builder = CircuitBreakerConfig.Builder.class)
public record CircuitBreakerConfig(
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallDuration,
    SlidingWindowType slidingWindowType,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    Duration waitDurationInOpenState,
    int permittedCallsInHalfOpenState,
    Set<CallOutcome> failureOutcomes) {

  /** Largest count-based window: three 21-bit counters share one atomic long. */
  public static final int MAX_COUNT_WINDOW = (1 << 20) - 1;

  /** Largest time-based window in seconds. */
  public static final int MAX_TIME_WINDOW_SECONDS = 3600;

  /** Validates every field; see {@link Builder}. */
  public CircuitBreakerConfig {
    Checks.percentage("circuitBreaker.failureRateThreshold", failureRateThreshold);
    Checks.percentage("circuitBreaker.slowCallRateThreshold", slowCallRateThreshold);
    Checks.positive("circuitBreaker.slowCallDuration", slowCallDuration);
    Checks.notNull("circuitBreaker.slidingWindowType", slidingWindowType);
    int max =
        slidingWindowType == SlidingWindowType.COUNT_BASED ? MAX_COUNT_WINDOW : MAX_TIME_WINDOW_SECONDS;
    Checks.inRange("circuitBreaker.slidingWindowSize", slidingWindowSize, 1, max);
    Checks.inRange("circuitBreaker.minimumNumberOfCalls", minimumNumberOfCalls, 1, Integer.MAX_VALUE);
    Checks.positive("circuitBreaker.waitDurationInOpenState", waitDurationInOpenState);
    Checks.inRange(
        "circuitBreaker.permittedCallsInHalfOpenState", permittedCallsInHalfOpenState, 1, MAX_COUNT_WINDOW);
    Checks.noNulls("circuitBreaker.failureOutcomes", Checks.notNull("circuitBreaker.failureOutcomes", failureOutcomes));
    for (CallOutcome o : failureOutcomes) {
      Checks.argument(
          o != CallOutcome.SUCCESS && o != CallOutcome.CANCELLED,
          "circuitBreaker.failureOutcomes must not contain %s",
          o);
    }
    failureOutcomes = failureOutcomes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failureOutcomes));
  }

  /** The defaults. */
  public static CircuitBreakerConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .failureRateThreshold(failureRateThreshold)
        .slowCallRateThreshold(slowCallRateThreshold)
        .slowCallDuration(slowCallDuration)
        .slidingWindowType(slidingWindowType)
        .slidingWindowSize(slidingWindowSize)
        .minimumNumberOfCalls(minimumNumberOfCalls)
        .waitDurationInOpenState(waitDurationInOpenState)
        .permittedCallsInHalfOpenState(permittedCallsInHalfOpenState)
        .failureOutcomes(failureOutcomes);
  }

  /** Whether {@code outcome} counts as a failure. */
  public boolean isFailure(CallOutcome outcome) {
    return failureOutcomes.contains(outcome);
  }

  /** How the sliding window is measured. */
  public enum SlidingWindowType {
    /** The last {@code slidingWindowSize} calls. */
    COUNT_BASED,
    /** The calls of the last {@code slidingWindowSize} seconds. */
    TIME_BASED
  }

  /** Builds a {@link CircuitBreakerConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private float failureRateThreshold = 50;
    private float slowCallRateThreshold = 100;
    private Duration slowCallDuration = Duration.ofSeconds(60);
    private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 100;
    private Duration waitDurationInOpenState = Duration.ofSeconds(60);
    private int permittedCallsInHalfOpenState = 10;
    private Set<CallOutcome> failureOutcomes = defaultFailureOutcomes();

    private Builder() {}

    /** Failure percentage (0, 100] that opens the circuit. */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** Slow-call percentage (0, 100] that opens the circuit. */
    public Builder slowCallRateThreshold(float percent) {
      this.slowCallRateThreshold = percent;
      return this;
    }

    /** Duration from which a call is slow. */
    public Builder slowCallDuration(Duration duration) {
      this.slowCallDuration = duration;
      return this;
    }

    /** Count- or time-based window. */
    public Builder slidingWindowType(SlidingWindowType type) {
      this.slidingWindowType = type;
      return this;
    }

    /** Window size in calls or seconds. */
    public Builder slidingWindowSize(int size) {
      this.slidingWindowSize = size;
      return this;
    }

    /** Calls needed before rates are judged. */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /** Time the circuit stays open. */
    public Builder waitDurationInOpenState(Duration duration) {
      this.waitDurationInOpenState = duration;
      return this;
    }

    /** Probes allowed in half-open state. */
    public Builder permittedCallsInHalfOpenState(int calls) {
      this.permittedCallsInHalfOpenState = calls;
      return this;
    }

    /** Outcomes that count as failures. */
    public Builder failureOutcomes(Set<CallOutcome> outcomes) {
      this.failureOutcomes = outcomes;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(
          failureRateThreshold,
          slowCallRateThreshold,
          slowCallDuration,
          slidingWindowType,
          slidingWindowSize,
          minimumNumberOfCalls,
          waitDurationInOpenState,
          permittedCallsInHalfOpenState,
          failureOutcomes);
    }

    private static Set<CallOutcome> defaultFailureOutcomes() {
      EnumSet<CallOutcome> set = EnumSet.noneOf(CallOutcome.class);
      for (CallOutcome o : CallOutcome.values()) {
        if (o.isFailure() && o != CallOutcome.CANCELLED) {
          set.add(o);
        }
      }
      return set;
    }
  }
}
