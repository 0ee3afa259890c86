package io.orchestra.observability;

import io.orchestra.observability.metrics.Anomaly;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric anomalies judged most recently, at most {@value #MAX} of them (the oldest leaves
 * first), for {@link ObservabilityEngine#recentAnomalies()}, in order of {@link
 * Anomaly#detectedAtEpochMillis()} (ties in arrival order). Threads judge their batches at the
 * time they read, then hand the anomalies here in whatever order they get the lock, so an
 * anomaly may arrive after a newer one; it goes in before the newer ones instead of after them.
 * Thread-safe.
 */
final class RecentAnomalies {
  static final int MAX = 1_000;

  private final ArrayDeque<Anomaly> recent = new ArrayDeque<>();

  /** Appends {@code anomalies} in order, dropping the oldest past the bound. */
  void remember(List<Anomaly> anomalies) {
    if (anomalies.isEmpty()) {
      return;
    }
    synchronized (recent) {
      for (Anomaly a : anomalies) {
        insert(a);
        if (recent.size() > MAX) {
          recent.pollFirst();
        }
      }
    }
  }

  /** Inserts {@code a} after every anomaly detected at its time or before; hold the lock. */
  private void insert(Anomaly a) {
    Anomaly last = recent.peekLast();
    if (last == null || last.detectedAtEpochMillis() <= a.detectedAtEpochMillis()) {
      recent.addLast(a); // the common case
      return;
    }
    // Late by a few: move the newer ones aside, then put them back after it.
    ArrayDeque<Anomaly> newer = new ArrayDeque<>();
    while (!recent.isEmpty() && recent.peekLast().detectedAtEpochMillis() > a.detectedAtEpochMillis()) {
      newer.addFirst(recent.pollLast());
    }
    recent.addLast(a);
    recent.addAll(newer);
  }

  /** A copy, oldest first. */
  List<Anomaly> snapshot() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }
}
