package io.orchestra.discovery.internal;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Timeouts;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Transport;
import io.orchestra.discovery.HealthCheck;
import java.util.concurrent.CompletionStage;

/**
 * Active health checks through the core {@link Transport}: each instance is checked with its
 * registration's method and path, within its timeout, then again one interval after the answer
 * (so checks of one instance never overlap). The first check of a new instance runs after a
 * random tenth of the interval, so that instances discovered together are not checked together.
 *
 * <p>Thread-safe.
 */
final class HealthChecker {
  private final Transport transport;
  private final Scheduler scheduler;
  private final RandomSource random;

  HealthChecker(Transport transport, Scheduler scheduler, RandomSource random) {
    this.transport = transport;
    this.scheduler = scheduler;
    this.random = random;
  }

  void start(ServiceEntry entry, InstanceState s) {
    long interval = s.healthCheck.interval().toNanos();
    long first = (long) (interval * 0.1 * random.nextDouble());
    schedule(entry, s, first);
  }

  void stop(InstanceState s) {
    synchronized (s) {
      s.removed = true;
      if (s.checkTask != null) {
        s.checkTask.cancel();
        s.checkTask = null;
      }
    }
  }

  private void schedule(ServiceEntry entry, InstanceState s, long delay) {
    synchronized (s) {
      if (s.removed) {
        return;
      }
      s.checkTask = scheduler.schedule(() -> check(entry, s), delay);
    }
  }

  private void check(ServiceEntry entry, InstanceState s) {
    if (s.removed) {
      return;
    }
    HealthCheck hc = s.healthCheck;
    Request request = Request.builder(hc.method(), hc.path()).timeout(hc.timeout()).build();
    CompletionStage<io.orchestra.core.transport.Response> sent;
    try {
      sent = transport.send(s.instance.endpoint(), request);
    } catch (RuntimeException e) {
      sent = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Timeouts.within(sent, hc.timeout().toNanos(), scheduler)
        .whenComplete(
            (response, error) -> {
              boolean ok = error == null && response != null && response.status() < 400;
              try {
                entry.onCheck(s, ok);
              } finally {
                schedule(entry, s, hc.interval().toNanos());
              }
            });
  }
}
