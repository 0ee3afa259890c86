package io.orchestra.observability.internal;

import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.List;
import java.util.Map;

/**
 * The bytes a resolved {@link Alert} is taken to hold, for {@code alerting.maxHistoryBytes}:
 * approximate, but a function of the alert's contents only (not of the JVM, its flags or what else
 * shares the objects), so that the bound is deterministic and testable.
 *
 * <ul>
 *   <li>a string: {@link #STRING} (its object and array headers) plus 2 bytes a char, UTF-16's
 *       worst case (with compact strings a Latin-1 string takes 1 byte a char, so ASCII text is
 *       counted double);
 *   <li>an alert: {@link #ALERT} (the record, its labels map, its evidence record and lists) plus
 *       its rule id, service name, message, condition, and {@link #ENTRY} plus key and value for
 *       each label;
 *   <li>evidence: {@link #ENTRY} plus the id for each exemplar trace id; {@link #EDGE} plus both
 *       service names for each dependency edge; {@link #LOG_RECORD} plus service, message, trace
 *       and span ids and {@link #ENTRY} plus key and value for each field, for each log line.
 * </ul>
 *
 * Enums and numbers are inside the fixed overheads. A string shared by several parts (the rule id
 * is also the {@code rule} label; a log line may still be in the log store) counts in full each
 * time, so the estimate errs high rather than low. The sum is additive over log lines, which is
 * what trimming relies on: {@code of(a) == withoutLogLines(a) + sum of logLine(l)}.
 */
final class AlertBytes {
  /** A {@code String} object (24 bytes with compressed oops) and its array's header (16). */
  static final long STRING = 40;
  /** The alert record, its labels map, its evidence record and that record's three lists. */
  static final long ALERT = 256;
  /** One map entry or list slot: the node or slot and its references. */
  static final long ENTRY = 32;
  /** A {@code LogRecord} object, its fields map and its slot in the evidence list. */
  static final long LOG_RECORD = 96;
  /** A {@code DependencyEdge} object with its counts and percentiles, and its list slot. */
  static final long EDGE = 64;

  private AlertBytes() {}

  /** The estimate for {@code a}, its evidence included. */
  static long of(Alert a) {
    return withoutLogLines(a) + logLines(a.evidence().logLines());
  }

  /** The estimate for {@code a} as if its evidence had no log lines. */
  static long withoutLogLines(Alert a) {
    long n = ALERT + string(a.ruleId()) + string(a.serviceName()) + string(a.message()) + string(a.condition());
    n += map(a.labels());
    AlertEvidence ev = a.evidence();
    for (String id : ev.exemplarTraceIds()) {
      n += ENTRY + string(id);
    }
    for (DependencyEdge e : ev.dependencyEdges()) {
      n += EDGE + string(e.caller()) + string(e.callee());
    }
    return n;
  }

  /** The estimate for one log line of evidence. */
  static long logLine(LogRecord r) {
    return LOG_RECORD + string(r.service()) + string(r.message()) + string(r.traceId()) + string(r.spanId()) + map(r.fields());
  }

  private static long logLines(List<LogRecord> lines) {
    long n = 0;
    for (LogRecord r : lines) {
      n += logLine(r);
    }
    return n;
  }

  private static long map(Map<String, String> m) {
    long n = 0;
    for (Map.Entry<String, String> e : m.entrySet()) {
      n += ENTRY + string(e.getKey()) + string(e.getValue());
    }
    return n;
  }

  /** 0 for null. */
  static long string(String s) {
    return s == null ? 0 : STRING + 2L * s.length();
  }
}
