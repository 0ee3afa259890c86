package io.orchestra.observability;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.observability.logs.LogLevel;
import java.time.Duration;

/**
 * Immutable log settings, the seed's {@code logging} section plus storage bounds.
 *
 * @param logLevel lines below this level are counted but not stored; default INFO (seed)
 * @param structuredLogging parse JSON and key=value lines into fields; when false every line is
 *     plain text; default true (seed)
 * @param logRetention stored lines older than this are dropped; default 7 days (seed)
 * @param logForwarding hand every processed (masked) line to the engine's log forwarder; default
 *     true (seed)
 * @param sensitiveDataMasking mask emails, card numbers, tokens, secrets and API keys before
 *     anything is stored or forwarded; default true (seed)
 * @param maxStoredLogs lines kept in memory at most (oldest evicted first); default 100,000
 * @param maxLineLength longer lines are masked whole, then truncated (and counted); default 16,384
 *     characters
 */
@JsonDeserialize(builder = LoggingConfig.Builder.class)
public record LoggingConfig(
    LogLevel logLevel,
    boolean structuredLogging,
    Duration logRetention,
    boolean logForwarding,
    boolean sensitiveDataMasking,
    int maxStoredLogs,
    int maxLineLength) {

  /** Validates every field; see {@link Builder}. */
  public LoggingConfig {
    Checks.notNull("logging.logLevel", logLevel);
    Checks.positive("logging.logRetention", logRetention);
    Checks.inRange("logging.maxStoredLogs", maxStoredLogs, 1, 100_000_000);
    Checks.inRange("logging.maxLineLength", maxLineLength, 64, 16 * 1024 * 1024);
  }

  /** The defaults. */
  public static LoggingConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .logLevel(logLevel)
        .structuredLogging(structuredLogging)
        .logRetention(logRetention)
        .logForwarding(logForwarding)
        .sensitiveDataMasking(sensitiveDataMasking)
        .maxStoredLogs(maxStoredLogs)
        .maxLineLength(maxLineLength);
  }

  /** Builds a {@link LoggingConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private LogLevel logLevel = LogLevel.INFO;
    private boolean structuredLogging = true;
    private Duration logRetention = Duration.ofDays(7);
    private boolean logForwarding = true;
    private boolean sensitiveDataMasking = true;
    private int maxStoredLogs = 100_000;
    private int maxLineLength = 16_384;

    private Builder() {}

    /** Minimum stored level. */
    public Builder logLevel(LogLevel v) {
      this.logLevel = v;
      return this;
    }

    /** Whether JSON and key=value lines are parsed. */
    public Builder structuredLogging(boolean v) {
      this.structuredLogging = v;
      return this;
    }

    /** Maximum age of stored lines. */
    public Builder logRetention(Duration v) {
      this.logRetention = v;
      return this;
    }

    /** Whether processed lines go to the forwarder. */
    public Builder logForwarding(boolean v) {
      this.logForwarding = v;
      return this;
    }

    /** Whether sensitive data is masked. */
    public Builder sensitiveDataMasking(boolean v) {
      this.sensitiveDataMasking = v;
      return this;
    }

    /** Lines kept at most. */
    public Builder maxStoredLogs(int v) {
      this.maxStoredLogs = v;
      return this;
    }

    /** Longest line kept whole. */
    public Builder maxLineLength(int v) {
      this.maxLineLength = v;
      return this;
    }

    /** The validated configuration. */
    public LoggingConfig build() {
      return new LoggingConfig(
          logLevel,
          structuredLogging,
          logRetention,
          logForwarding,
          sensitiveDataMasking,
          maxStoredLogs,
          maxLineLength);
    }
  }
}
