package io.orchestra.observability;

import io.orchestra.core.time.Scheduler;

/**
 * The engine's background work on its {@link Scheduler}: the collection tick, at every multiple
 * of {@code metrics.collectionInterval} of the wall clock (harvest the sink handles into the
 * interval that just ended and judge its anomalies, complete quiet traces, purge logs and traces
 * past retention, expire idle series), and the alert tick every {@code
 * alerting.evaluationInterval}. Each tick schedules the next, also when it failed (counted as
 * {@code engine.collection_failed} or {@code engine.alert_evaluation_failed}); {@link #close()}
 * stops both. Thread-safe.
 */
final class PeriodicWork implements AutoCloseable {
  private final EngineParts parts;
  private final Scheduler scheduler;
  private final Runnable evaluateAlerts;
  private volatile boolean closed;
  private volatile Scheduler.Cancellable collectionTask;
  private volatile Scheduler.Cancellable alertTask;

  /** Work on {@code parts}; the alert tick runs {@code evaluateAlerts}. Not started yet. */
  PeriodicWork(EngineParts parts, Scheduler scheduler, Runnable evaluateAlerts) {
    this.parts = parts;
    this.scheduler = scheduler;
    this.evaluateAlerts = evaluateAlerts;
  }

  /** Schedules the first collection and alert ticks. */
  void start() {
    scheduleCollection();
    scheduleAlerts();
  }

  /** Stops both ticks; idempotent. */
  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable c = collectionTask;
    if (c != null) {
      c.cancel();
    }
    Scheduler.Cancellable a = alertTask;
    if (a != null) {
      a.cancel();
    }
  }

  private void scheduleCollection() {
    if (closed) {
      return;
    }
    long interval = parts.config.metrics().collectionInterval().toMillis();
    long now = parts.clock.millis();
    long boundary = Math.floorDiv(now, interval) * interval + interval;
    collectionTask = scheduler.schedule(() -> collectionTick(boundary), (boundary - now) * 1_000_000L);
  }

  private void collectionTick(long boundary) {
    try {
      // Attribute the interval to the window it belongs to even when the tick runs late.
      parts.anomalies.remember(parts.metrics.harvest(boundary - 1, true));
      parts.traces.complete(false);
      long now = parts.clock.millis();
      parts.logStore.purgeBefore(now - parts.config.logging().logRetention().toMillis());
      parts.traces.purge(now);
      parts.metrics.expireIdle(now);
    } catch (RuntimeException e) {
      parts.bad.count("engine", "collection_failed");
    } finally {
      scheduleCollection();
    }
  }

  private void scheduleAlerts() {
    if (closed) {
      return;
    }
    alertTask = scheduler.schedule(() -> {
      try {
        evaluateAlerts.run();
      } catch (RuntimeException e) {
        parts.bad.count("engine", "alert_evaluation_failed");
      } finally {
        scheduleAlerts();
      }
    }, parts.config.alerting().evaluationInterval().toNanos());
  }
}
