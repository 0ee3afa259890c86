package io.orchestra.observability.logs;

/** Where a {@link LogRecord} came from. */
public enum LogFormat {
  /** A JSON object line. */
  JSON,
  /** A {@code key=value} (logfmt) line. */
  KEY_VALUE,
  /** Free text (also malformed JSON, kept as text). */
  TEXT,
  /** An access-log record reported through the telemetry sink. */
  ACCESS,
  /** A domain event reported through the telemetry sink. */
  EVENT
}
