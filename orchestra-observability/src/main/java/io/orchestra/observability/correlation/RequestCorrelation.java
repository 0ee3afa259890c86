package io.orchestra.observability.correlation;

import java.util.List;

/**
 * Logs and spans that share one trace id. Immutable.
 *
 * @param traceId the trace
 * @param services services seen in its spans and logs, sorted
 * @param spanCount spans
 * @param logCount log lines carrying the trace id
 * @param errorSpans failed spans
 * @param errorLogs error log lines
 * @param durationMillis trace duration, 0 when only logs were seen
 * @param errorOrigin the service where its error started, or null
 */
public record RequestCorrelation(
    String traceId,
    List<String> services,
    int spanCount,
    int logCount,
    int errorSpans,
    int errorLogs,
    double durationMillis,
    String errorOrigin) {

  /** Copies the list. */
  public RequestCorrelation {
    services = List.copyOf(services);
  }
}
