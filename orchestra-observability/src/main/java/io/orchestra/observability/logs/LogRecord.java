package io.orchestra.observability.logs;

import java.util.Map;

/**
 * One processed log line: parsed, masked and enriched. Nothing unmasked ever reaches a {@code
 * LogRecord} when masking is on (the default). Immutable.
 *
 * @param timestampEpochMillis the line's own timestamp when it had a readable one, else ingestion
 *     time
 * @param service the service that produced it
 * @param level its level (INFO when it had none)
 * @param message the masked message
 * @param traceId 32 lower-case hex digits, or null when the line carries no (valid) trace id
 * @param spanId 16 lower-case hex digits, or null
 * @param fields every other field, masked, nested JSON flattened with dots, plus {@code
 *     environment} and {@code cluster}
 * @param format how it was parsed
 * @param error whether it is an error log (level ERROR or worse, a 5xx status, or an exception)
 * @param malformed whether it looked structured but could not be parsed (kept as text)
 */
public record LogRecord(
    long timestampEpochMillis,
    String service,
    LogLevel level,
    String message,
    String traceId,
    String spanId,
    Map<String, String> fields,
    LogFormat format,
    boolean error,
    boolean malformed) {

  /** Copies the fields. */
  public LogRecord {
    fields = Map.copyOf(fields);
  }
}
