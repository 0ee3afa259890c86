package io.orchestra.observability.dashboard;

import io.orchestra.observability.Severity;
import java.util.List;

/**
 * A recurring problem: error log lines or failing or slow spans grouped by their message
 * template (digits and ids folded). Immutable.
 *
 * @param kind {@code error_log}, {@code error_span} or {@code slow_span}
 * @param description the template
 * @param count occurrences in the range
 * @param severity how bad
 * @param exemplarTraceIds some trace ids
 * @param lastSeenEpochMillis latest occurrence
 */
public record TopIssue(String kind, String description, long count, Severity severity, List<String> exemplarTraceIds, long lastSeenEpochMillis) {

  /** Copies the list. */
  public TopIssue {
    exemplarTraceIds = List.copyOf(exemplarTraceIds);
  }
}
