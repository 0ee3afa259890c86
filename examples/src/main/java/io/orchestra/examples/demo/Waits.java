package io.orchestra.examples.demo;

import io.orchestra.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waiting for something that happens over real time (health checks, breaker waits). */
final class Waits {
  private Waits() {}

  /**
   * Polls {@code condition} every 20 ms until it holds or {@code limit} has passed.
   *
   * @return whether it held
   */
  static boolean until(BooleanSupplier condition, Duration limit, Ticker ticker) {
    long deadline = ticker.read() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (ticker.read() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(20_000_000L);
    }
    return true;
  }

  /** Pauses for {@code pause} (the long run's breathing space between phases). */
  static void pause(Duration pause) {
    if (!pause.isZero()) {
      LockSupport.parkNanos(pause.toNanos());
    }
  }
}
