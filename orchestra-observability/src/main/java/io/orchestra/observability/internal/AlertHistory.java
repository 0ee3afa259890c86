package io.orchestra.observability.internal;

import io.orchestra.observability.alerts.Alert;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved alerts kept for {@code alertHistory()}, in resolution order, bounded two ways: by
 * time ({@code alerting.alertRetention}, applied by {@link #purgeBefore}) and by count, at most
 * {@code limit} of them ({@code alerting.maxHistory}). Without the count, services that each
 * breach once, or a flapping alert, would grow it without a bound within the retention.
 *
 * <p>Past the count the oldest resolved alert leaves first, counted as {@code
 * alert.history_overflow}; leaving by age is not counted (that is the retention, as for logs and
 * traces). Only resolved alerts are ever added, so no pending or firing alert is dropped here.
 *
 * <p>Not thread-safe: confined to the {@link AlertManager}'s lock.
 */
final class AlertHistory {
  private final ArrayDeque<Alert> resolved = new ArrayDeque<>();
  private final int limit;
  private final BadInputCounters bad;

  /** At most {@code limit} (&gt; 0) alerts; evictions counted in {@code bad}. */
  AlertHistory(int limit, BadInputCounters bad) {
    this.limit = limit;
    this.bad = bad;
  }

  /** Appends a resolved alert, evicting the oldest when full. */
  void add(Alert alert) {
    if (resolved.size() >= limit) {
      resolved.pollFirst();
      bad.count("alert", "history_overflow");
    }
    resolved.addLast(alert);
  }

  /** Drops alerts from the old end while they resolved before {@code cutoff}. */
  void purgeBefore(long cutoff) {
    while (!resolved.isEmpty() && resolved.peekFirst().resolvedAtEpochMillis() < cutoff) {
      resolved.pollFirst();
    }
  }

  /** A copy, oldest first. */
  List<Alert> snapshot() {
    return new ArrayList<>(resolved);
  }

  /** Alerts held; never above the limit. */
  int size() {
    return resolved.size();
  }
}
