package io.orchestra.observability.alerts;

/** What an {@link AlertRule} evaluates. */
public enum AlertSource {
  /** An aggregate of one metric over the rule's window. */
  METRIC,
  /** The number of stored log lines matching the rule over its window. */
  LOG
}
