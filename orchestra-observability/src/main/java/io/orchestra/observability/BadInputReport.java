package io.orchestra.observability;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of input the engine refused or repaired since it started, by {@code kind.reason} (for
 * example {@code metric.nan}, {@code log.malformed_json}, {@code span.unknown_parent}, {@code
 * trace.too_large}, {@code service.unknown}, {@code service.tracking_overflow} for a new service
 * name past {@code maxTrackedServices}, {@code alert.active_overflow} for a breach that raised no
 * alert past {@code alerting.maxActiveAlerts}, {@code alert.history_overflow} for a resolved alert
 * evicted from the history past {@code alerting.maxHistory} or {@code alerting.maxHistoryBytes},
 * {@code alert.history_trimmed} for one kept there with fewer log lines to fit the bytes; also {@code
 * alert.notification_failed} and {@code alert.unbound_channel} for notifications that could not be
 * delivered). Bad input is never
 * thrown at the caller; it is counted here, in the per-call results, and in the {@code
 * orchestra.observability.bad.input} Micrometer counter. Immutable snapshot.
 *
 * @param counts count per {@code kind.reason}, sorted
 */
public record BadInputReport(Map<String, Long> counts) {

  /** Copies and sorts the counts. */
  public BadInputReport {
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** The count of {@code kind.reason}, 0 when never seen. */
  public long count(String kind, String reason) {
    return counts.getOrDefault(kind + "." + reason, 0L);
  }

  /** The sum of every count. */
  public long total() {
    long t = 0;
    for (long c : counts.values()) {
      t += c;
    }
    return t;
  }
}
