package io.orchestra.observability.internal;

import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One trace in the store: its spans (merged from every part that arrived), its estimated size and
 * its cached analysis. Guarded by the trace store's monitor.
 */
final class StoredTrace {
  final String traceId;
  final List<SpanData> spans = new ArrayList<>();
  final Set<String> spanIds = new HashSet<>();
  long sizeBytes;
  long startEpochMillis = Long.MAX_VALUE;
  long endEpochMillis = Long.MIN_VALUE;
  long lastUpdateNanos;
  boolean dirty = true;
  boolean completed;
  boolean baselineFed;
  TraceAnalysis analysis;

  StoredTrace(String traceId) {
    this.traceId = traceId;
  }

  void add(SpanData s, long size) {
    spans.add(s);
    spanIds.add(s.spanId());
    sizeBytes += size;
    startEpochMillis = Math.min(startEpochMillis, Math.floorDiv(s.startEpochNanos(), 1_000_000));
    endEpochMillis = Math.max(endEpochMillis, Math.floorDiv(s.endEpochNanos(), 1_000_000));
    dirty = true;
  }

  TraceAnalysis analysis() {
    if (dirty || analysis == null) {
      analysis = TraceAnalyzer.analyze(traceId, spans);
      dirty = false;
    }
    return analysis;
  }

  /** Estimated serialized size of a span: fixed overhead plus its text. */
  static long sizeOf(SpanData s) {
    long n = 128;
    n += s.spanId() == null ? 0 : s.spanId().length();
    n += s.serviceName().length() + s.operationName().length();
    n += s.errorMessage() == null ? 0 : s.errorMessage().length();
    for (var e : s.attributes().entrySet()) {
      n += e.getKey().length() + e.getValue().length() + 6;
    }
    return n;
  }
}
