package io.orchestra.saga;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.saga.internal.ServiceCallAction;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One named step of a {@link SagaDefinition}: the forward action, an optional compensation, and
 * optional overrides of the configured timeout and retry policy. Immutable and thread-safe.
 *
 * <p>A <em>retry-only</em> step is never compensated: the first one is the saga's pivot (once it
 * completes the saga can only go forward) and every step after it must be retry-only too.
 *
 * @param <D> the saga data type
 */
public final class SagaStep<D> {
  private final String name;
  private final StepAction<D> action;
  private final Compensation<D> compensation;
  private final ServiceCall serviceCall;
  private final ServiceCall compensationCall;
  private final Duration timeout;
  private final RetryPolicy retryPolicy;
  private final Duration compensationTimeout;
  private final RetryPolicy compensationRetryPolicy;
  private final boolean retryOnly;

  private SagaStep(Builder<D> b) {
    this.name = b.name;
    this.action = b.action;
    this.compensation = b.compensation;
    this.serviceCall = b.serviceCall;
    this.compensationCall = b.compensationCall;
    this.timeout = b.timeout;
    this.retryPolicy = b.retryPolicy;
    this.compensationTimeout = b.compensationTimeout;
    this.compensationRetryPolicy = b.compensationRetryPolicy;
    this.retryOnly = b.retryOnly;
  }

  /** The step name, unique in its definition. */
  public String name() {
    return name;
  }

  /** The forward action. */
  public StepAction<D> action() {
    return action;
  }

  /** The compensation, or null when the step needs no undo. */
  public Compensation<D> compensation() {
    return compensation;
  }

  /** The service call behind {@link #action()}, or null for a Java-function step. */
  public ServiceCall serviceCall() {
    return serviceCall;
  }

  /** The service call behind {@link #compensation()}, or null. */
  public ServiceCall compensationCall() {
    return compensationCall;
  }

  /** The per-attempt timeout of this step, or null for the configured step timeout. */
  public Duration timeout() {
    return timeout;
  }

  /** This step's retry policy, or null for the configured one. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** The per-attempt timeout of the compensation, or null for the configured one. */
  public Duration compensationTimeout() {
    return compensationTimeout;
  }

  /** The compensation's retry policy, or null for the configured one. */
  public RetryPolicy compensationRetryPolicy() {
    return compensationRetryPolicy;
  }

  /** Whether the step is retry-only (the pivot or after): retried, never compensated. */
  public boolean retryOnly() {
    return retryOnly;
  }

  @Override
  public String toString() {
    return "SagaStep[" + name + (retryOnly ? ", retry-only" : "") + "]";
  }

  /**
   * Configures one step inside {@link SagaDefinition.Builder#step(String, Consumer)}; not
   * thread-safe. Exactly one forward action must be set.
   *
   * @param <D> the saga data type
   */
  public static final class Builder<D> {
    private final String name;
    private StepAction<D> action;
    private Compensation<D> compensation;
    private ServiceCall serviceCall;
    private ServiceCall compensationCall;
    private Duration timeout;
    private RetryPolicy retryPolicy;
    private Duration compensationTimeout;
    private RetryPolicy compensationRetryPolicy;
    private boolean retryOnly;

    Builder(String name) {
      this.name = name;
    }

    /** An asynchronous forward action. */
    public Builder<D> action(StepAction<D> action) {
      setAction(Checks.notNull("step " + name + " action", action));
      this.serviceCall = null;
      return this;
    }

    /** A synchronous forward action returning the new data (or null for unchanged). */
    public Builder<D> invoke(Function<? super StepContext<D>, ? extends D> function) {
      Checks.notNull("step " + name + " function", function);
      return action(StepAction.of(function));
    }

    /** A synchronous forward action that leaves the data unchanged. */
    public Builder<D> run(Consumer<? super StepContext<D>> consumer) {
      Checks.notNull("step " + name + " consumer", consumer);
      return action(
          StepAction.of(
              context -> {
                consumer.accept(context);
                return null;
              }));
    }

    /** A service call as the forward action. */
    public Builder<D> call(ServiceCall call) {
      Checks.notNull("step " + name + " call", call);
      setAction(new ServiceCallAction<>(call));
      this.serviceCall = call;
      return this;
    }

    /** An asynchronous compensation. */
    public Builder<D> compensation(Compensation<D> compensation) {
      this.compensation = Checks.notNull("step " + name + " compensation", compensation);
      this.compensationCall = null;
      return this;
    }

    /** A synchronous compensation. */
    public Builder<D> compensate(Consumer<? super StepContext<D>> consumer) {
      Checks.notNull("step " + name + " compensation", consumer);
      return compensation(Compensation.of(consumer));
    }

    /** A service call as the compensation. */
    public Builder<D> compensationCall(ServiceCall call) {
      Checks.notNull("step " + name + " compensationCall", call);
      this.compensation = new ServiceCallAction<>(call);
      this.compensationCall = call;
      return this;
    }

    /** The per-attempt timeout of the step. */
    public Builder<D> timeout(Duration timeout) {
      this.timeout = Checks.positive("step " + name + " timeout", timeout);
      return this;
    }

    /** The step's retry policy. */
    public Builder<D> retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Checks.notNull("step " + name + " retryPolicy", policy);
      return this;
    }

    /** No retries for this step. */
    public Builder<D> noRetry() {
      return retryPolicy(RetryPolicy.none());
    }

    /** The per-attempt timeout of the compensation. */
    public Builder<D> compensationTimeout(Duration timeout) {
      this.compensationTimeout = Checks.positive("step " + name + " compensationTimeout", timeout);
      return this;
    }

    /** The compensation's retry policy. */
    public Builder<D> compensationRetryPolicy(RetryPolicy policy) {
      this.compensationRetryPolicy = Checks.notNull("step " + name + " compensationRetryPolicy", policy);
      return this;
    }

    /** Marks the step retry-only: the pivot (if first) or a step after it; never compensated. */
    public Builder<D> retryOnly() {
      this.retryOnly = true;
      return this;
    }

    private void setAction(StepAction<D> a) {
      this.action = a;
    }

    SagaStep<D> build() {
      Checks.argument(action != null, "step %s has no action: call action, invoke, run or call", name);
      Checks.argument(
          !retryOnly || compensation == null,
          "step %s is retry-only and is never compensated, so it must not have a compensation",
          name);
      return new SagaStep<>(this);
    }
  }
}
