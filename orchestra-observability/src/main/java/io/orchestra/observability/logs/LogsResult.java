package io.orchestra.observability.logs;

import java.util.List;

/**
 * What {@code processServiceLogs} did with one batch. Immutable.
 *
 * @param service the service
 * @param received lines received
 * @param records processed (masked) records, stored or below the stored level
 * @param stored records kept in the store (at or above the configured level)
 * @param errors error logs among them
 * @param malformed lines that looked structured but were kept as text
 * @param rejected lines dropped (empty or null), by index
 * @param extractedMetrics metric observations derived from the lines
 */
public record LogsResult(
    String service,
    int received,
    List<LogRecord> records,
    int stored,
    int errors,
    int malformed,
    List<Rejected> rejected,
    int extractedMetrics) {

  /** Copies the lists. */
  public LogsResult {
    records = List.copyOf(records);
    rejected = List.copyOf(rejected);
  }

  /**
   * A dropped line; its content is never repeated here.
   *
   * @param index position in the batch
   * @param reason why, such as {@code empty}
   */
  public record Rejected(int index, String reason) {}
}
