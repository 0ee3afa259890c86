package io.orchestra.observability;

import io.orchestra.observability.metrics.Anomaly;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric anomalies judged most recently, at most {@value #MAX} of them (the oldest leaves
 * first), for {@link ObservabilityEngine#recentAnomalies()}. Thread-safe.
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
        if (recent.size() >= MAX) {
          recent.pollFirst();
        }
        recent.addLast(a);
      }
    }
  }

  /** A copy, oldest first. */
  List<Anomaly> snapshot() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }
}
