package io.orchestra.core.time;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place in Orchestra that touches the machine's clock. Engines never call {@code
 * System.nanoTime()} or {@code System.currentTimeMillis()} themselves; they use the {@link Ticker},
 * {@link Clock} and {@link Scheduler} they were built with, which default to the instances here.
 */
final class SystemTime {
  private SystemTime() {}

  static final Ticker TICKER = System::nanoTime;

  static final Clock CLOCK = Clock.systemUTC();

  /** A lazily created shared scheduler with one daemon thread; tasks must be short. */
  static final class DefaultScheduler {
    static final Scheduler INSTANCE = Scheduler.of(newDaemonScheduler("orchestra-scheduler"));
  }

  static ScheduledExecutorService newDaemonScheduler(String name) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, factory);
    executor.setRemoveOnCancelPolicy(true);
    return Executors.unconfigurableScheduledExecutorService(executor);
  }
}
