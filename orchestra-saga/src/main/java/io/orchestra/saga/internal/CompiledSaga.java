package io.orchestra.saga.internal;

import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaStep;
import java.util.ArrayList;
import java.util.List;

/**
 * A definition bound to one orchestrator: step timeouts and retry policies resolved against the
 * configuration, and metric handles. Immutable. Not public API.
 *
 * @param <D> the saga data type
 */
final class CompiledSaga<D> {
  final SagaDefinition<D> definition;
  final SagaMetrics metrics;
  final List<String> stepNames;
  final RetryPolicy[] retryPolicy;
  final long[] timeoutNanos;
  final RetryPolicy[] compensationPolicy;
  final long[] compensationTimeoutNanos;
  final int pivot;
  /** Whether the data type is deeply immutable (see {@link ImmutableData}). */
  final boolean immutableData;

  CompiledSaga(SagaDefinition<D> definition, SagaConfig config, SagaMetrics metrics) {
    this.definition = definition;
    this.metrics = metrics;
    int n = definition.steps().size();
    List<String> names = new ArrayList<>(n);
    retryPolicy = new RetryPolicy[n];
    timeoutNanos = new long[n];
    compensationPolicy = new RetryPolicy[n];
    compensationTimeoutNanos = new long[n];
    RetryPolicy stepDefault = config.execution().retryPolicy();
    RetryPolicy compensationDefault =
        RetryPolicy.builder()
            .maxRetries(config.compensation().compensationRetries())
            .backoff(config.compensation().compensationBackoff())
            .retryOn(config.execution().retryOn())
            .build();
    for (int i = 0; i < n; i++) {
      SagaStep<D> s = definition.step(i);
      names.add(s.name());
      retryPolicy[i] = s.retryPolicy() != null ? s.retryPolicy() : stepDefault;
      timeoutNanos[i] =
          (s.timeout() != null ? s.timeout() : config.execution().stepTimeout()).toNanos();
      compensationPolicy[i] =
          s.compensationRetryPolicy() != null ? s.compensationRetryPolicy() : compensationDefault;
      compensationTimeoutNanos[i] =
          (s.compensationTimeout() != null
                  ? s.compensationTimeout()
                  : config.compensation().compensationTimeout())
              .toNanos();
    }
    this.stepNames = List.copyOf(names);
    this.pivot = definition.pivotIndex();
    this.immutableData = ImmutableData.isImmutable(definition.dataType());
  }

  int size() {
    return stepNames.size();
  }

  /** Whether step {@code i} is before the pivot, so undone on failure. */
  boolean compensatable(int i) {
    return pivot < 0 || i < pivot;
  }

  boolean hasCompensation(int i) {
    return definition.step(i).compensation() != null;
  }

  /** Same key, same steps and flags: a definition rebuilt by the application, not a change. */
  boolean sameShape(SagaDefinition<?> other) {
    if (other.steps().size() != size() || !other.dataType().equals(definition.dataType())) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      SagaStep<?> a = definition.step(i);
      SagaStep<?> b = other.step(i);
      if (!a.name().equals(b.name())
          || a.retryOnly() != b.retryOnly()
          || (a.compensation() == null) != (b.compensation() == null)) {
        return false;
      }
    }
    return true;
  }
}
