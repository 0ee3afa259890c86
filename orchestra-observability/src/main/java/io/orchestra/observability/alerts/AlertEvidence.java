package io.orchestra.observability.alerts;

import io.orchestra.core.internal.Checks;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.List;

/**
 * Why an alert fired: traces from the breaching window (failed first, then slowest), the stored
 * (masked) log lines of those traces, and the dependency edges of the service with failures in
 * the window. Immutable.
 *
 * @param exemplarTraceIds trace ids from the window
 * @param logLines log lines that carry those trace ids (for log rules: the matching lines)
 * @param dependencyEdges affected edges touching the service
 * @param omittedLogLines log lines dropped from the end of {@code logLines}; 0 except for a
 *     resolved alert in the history that was estimated above {@code alerting.maxHistoryBytes} on
 *     its own and kept with fewer lines (the notifications carried them all)
 */
public record AlertEvidence(
    List<String> exemplarTraceIds, List<LogRecord> logLines, List<DependencyEdge> dependencyEdges, int omittedLogLines) {

  /** No evidence. */
  public static final AlertEvidence NONE = new AlertEvidence(List.of(), List.of(), List.of());

  /** Copies the lists. */
  public AlertEvidence {
    exemplarTraceIds = List.copyOf(exemplarTraceIds);
    logLines = List.copyOf(logLines);
    dependencyEdges = List.copyOf(dependencyEdges);
    Checks.nonNegative("omittedLogLines", omittedLogLines);
  }

  /** Evidence with nothing omitted. */
  public AlertEvidence(List<String> exemplarTraceIds, List<LogRecord> logLines, List<DependencyEdge> dependencyEdges) {
    this(exemplarTraceIds, logLines, dependencyEdges, 0);
  }
}
