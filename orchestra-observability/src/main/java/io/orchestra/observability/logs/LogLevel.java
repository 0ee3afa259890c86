package io.orchestra.observability.logs;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Severity of a log line, in ascending order. Immutable. */
public enum LogLevel {
  /** Finest detail. */
  TRACE,
  /** Diagnostic detail. */
  DEBUG,
  /** Normal operation. */
  INFO,
  /** Something unexpected that was handled. */
  WARN,
  /** A failed operation. */
  ERROR,
  /** The process cannot go on. */
  FATAL;

  /**
   * Parses the common spellings ({@code warning}, {@code err}, {@code critical}, {@code
   * panic}, syslog numbers 0..7), case-insensitively; returns {@code null} when unknown.
   */
  public static LogLevel parse(String text) {
    if (text == null) {
      return null;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "trace":
      case "finest":
      case "7":
        return TRACE;
      case "debug":
      case "fine":
      case "finer":
        return DEBUG;
      case "info":
      case "information":
      case "notice":
      case "6":
      case "5":
        return INFO;
      case "warn":
      case "warning":
      case "4":
        return WARN;
      case "error":
      case "err":
      case "severe":
      case "3":
        return ERROR;
      case "fatal":
      case "critical":
      case "crit":
      case "panic":
      case "alert":
      case "emerg":
      case "emergency":
      case "2":
      case "1":
      case "0":
        return FATAL;
      default:
        return null;
    }
  }

  /** The level named {@code text} in any common spelling; fails naming the text when unknown. */
  @JsonCreator
  public static LogLevel of(String text) {
    LogLevel l = parse(text);
    if (l == null) {
      throw new IllegalArgumentException("unknown log level \"" + text + "\"");
    }
    return l;
  }

  /** Whether this level is ERROR or worse. */
  public boolean isError() {
    return this.compareTo(ERROR) >= 0;
  }
}
