package io.orchestra.observability.internal;

import io.orchestra.observability.traces.SpanData;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace in the store: its spans (merged from every part that arrived), its estimated size and
 * its analysis, built on first use and cached until a span arrives. Guarded by the trace store's
 * monitor.
 *
 * <p>Most traces hold a handful of spans, so a stored trace is kept small: duplicate span ids are
 * found by scanning the spans until the trace is large enough for an id set to pay off, the
 * spans of a one-span trace need no array ({@link SpanList}), and the analysis (a few kilobytes
 * of maps and lists) exists only once something asked for it.
 */
final class StoredTrace extends TraceKey {
  /** From this many spans on, duplicate checks use a hash set instead of a scan. */
  private static final int ID_SET_FROM = 16;

  final String traceId;
  final List<SpanData> spans = new SpanList();
  private Set<String> spanIds;
  long sizeBytes;
  long startEpochMillis = Long.MAX_VALUE;
  long endEpochMillis = Long.MIN_VALUE;
  long lastUpdateNanos;
  /** Spans arrived since the trace was last judged (on collection or completion). */
  boolean changed = true;
  boolean completed;
  boolean baselineFed;
  /** Evicted or purged: no longer in the store, so completion skips it. */
  boolean removed;
  private TraceAnalysis analysis;
  // The store's list of traces waiting to be judged (intrusive, so that eviction unlinks in O(1)).
  StoredTrace pendingPrev;
  StoredTrace pendingNext;
  boolean pending;
  // The store's arrival order (intrusive, so that adding a trace allocates nothing).
  StoredTrace newer;

  /** The trace with 32-digit id {@code traceId}, whose bits are {@code high} and {@code low}. */
  StoredTrace(String traceId, long high, long low) {
    super(high, low);
    this.traceId = traceId;
  }

  /** The trace with the valid 32-digit id {@code traceId}. */
  StoredTrace(String traceId) {
    this(traceId, Ids.high64(traceId), Ids.low64(traceId));
  }

  /** Whether a span with this id is stored. */
  boolean containsSpan(String spanId) {
    if (spanIds != null) {
      return spanIds.contains(spanId);
    }
    // A short scan of equals (16 bytes each) beats hashing a fresh id, which a set would need.
    for (int i = 0, n = spans.size(); i < n; i++) {
      if (spans.get(i).spanId().equals(spanId)) {
        return true;
      }
    }
    return false;
  }

  void add(SpanData s, long size) {
    spans.add(s);
    if (spanIds != null) {
      spanIds.add(s.spanId());
    } else if (spans.size() >= ID_SET_FROM) {
      spanIds = new HashSet<>(spans.size() * 4);
      spans.forEach(x -> spanIds.add(x.spanId()));
    }
    sizeBytes += size;
    startEpochMillis = Math.min(startEpochMillis, Math.floorDiv(s.startEpochNanos(), 1_000_000));
    endEpochMillis = Math.max(endEpochMillis, Math.floorDiv(s.endEpochNanos(), 1_000_000));
    changed = true;
    analysis = null;
  }

  /** The analysis of the spans as they stand (cached until the next span arrives). */
  TraceAnalysis analysis() {
    if (analysis == null) {
      analysis = TraceAnalyzer.analyze(traceId, spans);
    }
    return analysis;
  }

  /** Estimated serialized size of a span: fixed overhead plus its text. */
  static long sizeOf(SpanData s) {
    long n = sizeOf(s.spanId(), s.serviceName(), s.operationName(), s.errorMessage());
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      n += attributeSize(e.getKey(), e.getValue());
    }
    return n;
  }

  /** {@link #sizeOf(SpanData)} without the attributes. */
  static long sizeOf(String spanId, String service, String operation, String errorMessage) {
    long n = 128;
    n += spanId == null ? 0 : spanId.length();
    n += service.length() + operation.length();
    n += errorMessage == null ? 0 : errorMessage.length();
    return n;
  }

  /** What one attribute adds to {@link #sizeOf(SpanData)}. */
  static long attributeSize(String key, String value) {
    return key.length() + value.length() + 6;
  }
}
