package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
import io.orchestra.mesh.policy.RetryBudget;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination's retry budget: every request deposits {@code ratio} of a retry into a balance
 * capped at the deposits of 100 requests; a retry withdraws one whole retry, or else takes a permit
 * from the {@code minRetriesPerSecond} floor. Lock-free; a request at the cap only reads.
 */
final class RetryBudgetState {
  private static final long UNIT = 1000; // one retry

  final RetryBudget config;
  private final long deposit;
  private final long cap;
  private final AtomicLong balance = new AtomicLong();
  private final TokenBucket floor;

  RetryBudgetState(RetryBudget config, Ticker ticker) {
    this.config = config;
    this.deposit = Math.round(config.ratio() * UNIT);
    this.cap = Math.max(UNIT, deposit * 100);
    this.floor =
        config.minRetriesPerSecond() == 0
            ? null
            : TokenBucket.of(TokenBucket.Config.of(config.minRetriesPerSecond(), Duration.ofSeconds(1)), ticker);
  }

  /** Credits one request. */
  void onRequest() {
    if (deposit == 0) {
      return;
    }
    while (true) {
      long b = balance.get();
      if (b >= cap) {
        return;
      }
      if (balance.compareAndSet(b, Math.min(cap, b + deposit))) {
        return;
      }
    }
  }

  /** Takes one retry from the budget; false when it is spent. */
  boolean tryRetry() {
    while (true) {
      long b = balance.get();
      if (b < UNIT) {
        break;
      }
      if (balance.compareAndSet(b, b - UNIT)) {
        return true;
      }
    }
    return floor != null && floor.tryAcquire();
  }
}
