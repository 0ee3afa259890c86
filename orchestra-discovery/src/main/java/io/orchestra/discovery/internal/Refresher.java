package io.orchestra.discovery.internal;

import io.orchestra.discovery.DiscoverySource;
import io.orchestra.discovery.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Refreshes service entries from the sources: one refresh in flight per service (callers that
 * arrive meanwhile share it, and a change notified meanwhile triggers one more), jittered TTLs,
 * and the retry policy for failed refreshes. Thread-safe.
 */
final class Refresher {
  private static final long RETRY_BASE_NANOS = 1_000_000_000L;

  private final Runtime rt;
  private final SourceFanout fanout;

  Refresher(Runtime rt, SourceFanout fanout) {
    this.rt = rt;
    this.fanout = fanout;
  }

  /** Starts a refresh of {@code e} unless one is running; returns the running or new one. */
  CompletableFuture<Void> refresh(ServiceEntry e) {
    while (true) {
      CompletableFuture<Void> running = e.inflight.get();
      if (running == null) {
        // Publish the future with the claim itself: a caller that loses the race always gets the
        // winner's future, never an earlier, already completed one.
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (e.inflight.compareAndSet(null, done)) {
          return start(e, done);
        }
        continue;
      }
      e.refreshAgain = true;
      if (e.inflight.get() == running) {
        return running; // the running refresh will run once more for us
      }
    }
  }

  private CompletableFuture<Void> start(ServiceEntry e, CompletableFuture<Void> done) {
    // Picks read the clock again until this refresh has succeeded (it may fail and move the due
    // time earlier). Push the due time out while it runs, so picks do not keep calling refresh().
    e.fresh = false;
    e.nextRefreshAt = rt.ticker.read() + rt.refreshNanos;
    long removalsAtStart = e.removals.get();
    CompletableFuture<List<Registration>> answer;
    try {
      answer = fanout.fetch(e.name, e.metrics);
    } catch (RuntimeException ex) {
      answer = CompletableFuture.failedFuture(ex);
    }
    answer.whenComplete(
        (merged, error) -> {
          try {
            long now = rt.ticker.read();
            if (error == null && merged != null) {
              e.lastSuccessAt = now; // before the new snapshot is published, so it is never judged stale
              e.apply(merged, now, removalsAtStart);
              e.failedRefreshes = 0;
              e.staleNoticed = false;
              e.nextRefreshAt = rt.nextRefresh(now);
              e.markFresh(now);
            } else {
              e.failedRefreshes++;
              e.nextRefreshAt = now + retryDelay(e.failedRefreshes);
            }
          } catch (RuntimeException ex) {
            e.nextRefreshAt = rt.ticker.read() + retryDelay(++e.failedRefreshes);
          } finally {
            e.inflight.set(null);
            done.complete(null);
            if (e.refreshAgain) {
              e.refreshAgain = false;
              refresh(e);
            }
          }
        });
    return done;
  }

  /** Delay before retrying after {@code failures} failed refreshes in a row. */
  long retryDelay(int failures) {
    String policy = rt.config.retryPolicy();
    if (policy.equals("none") || failures > rt.config.maxRetries()) {
      return rt.nextRefresh(0);
    }
    long delay =
        policy.equals("fixed")
            ? RETRY_BASE_NANOS
            : RETRY_BASE_NANOS << Math.min(30, failures - 1);
    return Math.min(delay, rt.refreshNanos);
  }

  /** Subscribes {@code e} to change notifications of every source that supports them. */
  void watch(ServiceEntry e) {
    List<AutoCloseable> handles = new ArrayList<>();
    for (DiscoverySource source : fanout.sources()) {
      try {
        handles.add(source.watch(e.name, () -> refresh(e)));
      } catch (RuntimeException ex) {
        rt.event(
            "discovery.watch_failure", "service", e.name, "source", source.name(),
            "error", String.valueOf(ex));
      }
    }
    e.watches = List.copyOf(handles);
  }
}
