package io.orchestra.mesh.internal;

import io.orchestra.core.transport.CallOutcome;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RetryOn;

/**
 * A {@link MeshRetryPolicy} turned into lookup tables: whether an outcome or a status is retried
 * is one array read, with no boxing. Immutable.
 */
final class CompiledRetry {
  final MeshRetryPolicy policy;
  final int maxRetries;
  final long perTryNanos;
  private final boolean[] byOutcome = new boolean[CallOutcome.values().length];
  private final boolean[] byStatus = new boolean[600];

  CompiledRetry(MeshRetryPolicy policy) {
    this.policy = policy;
    this.maxRetries = policy.maxRetries();
    this.perTryNanos = policy.perTryTimeout().toNanos();
    for (CallOutcome o : CallOutcome.values()) {
      for (RetryOn r : policy.retryOn()) {
        if (r.covers(o)) {
          byOutcome[o.ordinal()] = true;
        }
      }
    }
    if (policy.retryOn().contains(RetryOn.RETRIABLE_STATUS_CODES)) {
      for (int code : policy.retriableStatusCodes()) {
        byStatus[code] = true;
      }
    }
  }

  /** Whether an attempt that ended in {@code outcome} (with {@code status}, 0 if none) is retried. */
  boolean retriable(CallOutcome outcome, int status) {
    return byOutcome[outcome.ordinal()] || (status > 0 && status < 600 && byStatus[status]);
  }
}
