package io.orchestra.examples.demo;

import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.HttpTransport;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every engine takes from the outside, owned by the demo so it can shut all of it down:
 * core's system time and randomness, a timer pool behind core's {@link Scheduler} port, a worker
 * pool (mesh continuations, saga steps), a pool for the HTTP servers' handlers, and the one real
 * {@link HttpTransport} on the JDK's {@code HttpClient}. Threads are daemons so a bug can never
 * keep the JVM alive, and {@link #close()} stops them anyway.
 */
final class Infrastructure implements AutoCloseable {
  final Ticker ticker = Ticker.system();
  final Clock clock = Clocks.system();
  final RandomSource random = RandomSource.system();
  final Scheduler timers;
  final ExecutorService work;
  final ExecutorService handlers;
  final HttpTransport transport;
  private final ScheduledExecutorService timerThreads;

  Infrastructure() {
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(2, daemons("demo-timer"));
    stpe.setRemoveOnCancelPolicy(true); // per-try timeouts are cancelled by the thousand
    this.timerThreads = stpe;
    this.timers = Scheduler.of(stpe);
    this.work = Executors.newFixedThreadPool(4, daemons("demo-work"));
    this.handlers = Executors.newFixedThreadPool(8, daemons("demo-http"));
    this.transport =
        HttpTransport.builder()
            .version(HttpClient.Version.HTTP_1_1) // the JDK's HttpServer speaks HTTP/1.1 only
            .connectTimeout(Duration.ofMillis(500))
            .requestTimeout(Duration.ofSeconds(2))
            .executor(work)
            .build();
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timerThreads.shutdownNow();
    work.shutdownNow();
    handlers.shutdownNow();
    try {
      timerThreads.awaitTermination(2, TimeUnit.SECONDS);
      work.awaitTermination(2, TimeUnit.SECONDS);
      handlers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
