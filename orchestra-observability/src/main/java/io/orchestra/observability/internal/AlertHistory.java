package io.orchestra.observability.internal;

import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.logs.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved alerts kept for {@code alertHistory()}, in resolution order, bounded three ways: by
 * time ({@code alerting.alertRetention}, applied by {@link #purgeBefore}), by count, at most
 * {@code limit} of them ({@code alerting.maxHistory}), and by estimated bytes, at most {@code
 * maxBytes} ({@code alerting.maxHistoryBytes}, estimated by {@link AlertBytes}). Without the count,
 * services that each breach once, or a flapping alert, would grow it without a bound within the
 * retention; without the bytes, alerts whose evidence holds long log lines would keep those lines
 * (up to {@code logging.maxLineLength} each) long after the log store evicted them.
 *
 * <p>Past either bound the oldest resolved alert leaves first, each counted once as {@code
 * alert.history_overflow}; leaving by age is not counted (that is the retention, as for logs and
 * traces). An alert estimated above {@code maxBytes} on its own enters with log lines dropped from
 * the end until it fits (recorded in {@link AlertEvidence#omittedLogLines()}, counted as {@code
 * alert.history_trimmed}) and, as it then takes most of the budget, usually alone or nearly; should
 * it still not fit without any log line (labels and ids alone above the budget) it is the only
 * alert held, so {@link #bytes()} is at most {@code maxBytes} except in that case. Nothing is ever
 * refused or thrown. Only resolved alerts are ever added, so no pending or firing alert is dropped
 * here.
 *
 * <p>Not thread-safe: confined to the {@link AlertManager}'s lock.
 */
final class AlertHistory {
  /** A held alert and its estimate, so that leaving subtracts what entering added. */
  private record Held(Alert alert, long bytes) {}

  private final ArrayDeque<Held> resolved = new ArrayDeque<>();
  private final int limit;
  private final long maxBytes;
  private final BadInputCounters bad;
  private long bytes;

  /** At most {@code limit} (&gt; 0) alerts of {@code maxBytes} (&gt; 0) in all; counted in {@code bad}. */
  AlertHistory(int limit, long maxBytes, BadInputCounters bad) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.bad = bad;
  }

  /** Appends a resolved alert, trimmed when it alone is above the budget, evicting the oldest for room. */
  void add(Alert alert) {
    long size = AlertBytes.of(alert);
    if (size > maxBytes) {
      alert = trimmed(alert);
      size = AlertBytes.of(alert);
      bad.count("alert", "history_trimmed");
    }
    while (!resolved.isEmpty() && (resolved.size() >= limit || bytes + size > maxBytes)) {
      evictOldest();
      bad.count("alert", "history_overflow");
    }
    resolved.addLast(new Held(alert, size));
    bytes += size;
  }

  /** {@code a} with the longest prefix of its log lines that fits the budget (maybe none). */
  private Alert trimmed(Alert a) {
    AlertEvidence ev = a.evidence();
    List<LogRecord> lines = ev.logLines();
    long size = AlertBytes.withoutLogLines(a);
    int keep = 0;
    while (keep < lines.size()) {
      long next = size + AlertBytes.logLine(lines.get(keep));
      if (next > maxBytes) {
        break;
      }
      size = next;
      keep++;
    }
    AlertEvidence fewer = new AlertEvidence(ev.exemplarTraceIds(), lines.subList(0, keep), ev.dependencyEdges(),
        ev.omittedLogLines() + lines.size() - keep);
    return new Alert(a.ruleId(), a.serviceName(), a.severity(), a.message(), a.condition(), a.state(), a.value(),
        a.activeSinceEpochMillis(), a.firedAtEpochMillis(), a.resolvedAtEpochMillis(), a.labels(), fewer);
  }

  private void evictOldest() {
    bytes -= resolved.pollFirst().bytes();
  }

  /** Drops alerts from the old end while they resolved before {@code cutoff}. */
  void purgeBefore(long cutoff) {
    while (!resolved.isEmpty() && resolved.peekFirst().alert().resolvedAtEpochMillis() < cutoff) {
      evictOldest();
    }
  }

  /** A copy, oldest first. */
  List<Alert> snapshot() {
    List<Alert> out = new ArrayList<>(resolved.size());
    for (Held h : resolved) {
      out.add(h.alert());
    }
    return out;
  }

  /** Alerts held; never above the limit. */
  int size() {
    return resolved.size();
  }

  /**
   * The estimated bytes held, the sum of {@link AlertBytes#of} over the alerts; at most {@code
   * maxBytes} unless a single alert's labels and ids alone exceed it.
   */
  long bytes() {
    return bytes;
  }
}
