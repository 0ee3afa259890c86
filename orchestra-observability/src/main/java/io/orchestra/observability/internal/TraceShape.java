package io.orchestra.observability.internal;

import io.orchestra.observability.traces.SpanData;
import java.util.List;

/**
 * The few facts a completing trace is judged on (orphans, the main root, the duration), found
 * without building the full {@link TraceAnalysis}: completion judges every trace, but most are
 * never queried, and the analysis' maps and lists cost kilobytes per trace. The facts agree
 * with the analysis' ({@code TraceShapeProperties}).
 *
 * <p>Only for small traces that need no more than these facts: {@link #of} refuses (returns
 * false) a trace with a failed span (its error origins and their propagation need the full
 * hierarchy), a parent loop (its break points need the analysis' ordering) or more than {@link
 * #MAX_SPANS} spans (the quadratic parent lookup stops paying off). The caller then analyses.
 *
 * <p>Mutable and reused to allocate nothing; not thread-safe (the trace pipeline holds the store
 * lock while it uses its one instance).
 */
final class TraceShape {
  static final int MAX_SPANS = 32;

  private final int[] parent = new int[MAX_SPANS];
  /** Spans whose parent is not in the trace. */
  int orphans;
  /** The main root (longest true root, else longest orphan, earliest on ties), as the analysis picks it. */
  SpanData mainRoot;
  /** Latest end minus earliest start. */
  long durationNanos;

  /** Fills in the facts of {@code spans} (unique ids); false when the trace needs the full analysis. */
  boolean of(List<SpanData> spans) {
    int n = spans.size();
    if (n == 0 || n > MAX_SPANS) {
      return false;
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int orphanCount = 0;
    long reached = 0; // bit i: span i hangs below a root or an orphan
    for (int i = 0; i < n; i++) {
      SpanData s = spans.get(i);
      if (s.error()) {
        return false;
      }
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      int p = s.parentSpanId() == null ? -1 : indexOf(spans, s.parentSpanId());
      if (p == i) {
        return false; // its own parent: a loop
      }
      parent[i] = p;
      if (p == -2) {
        orphanCount++;
      }
      if (p < 0) {
        reached |= 1L << i;
      }
    }
    // Spans not reachable from a root or an orphan hang in a parent loop.
    long all = n == 64 ? -1L : (1L << n) - 1;
    boolean grew = true;
    while (reached != all && grew) {
      grew = false;
      for (int i = 0; i < n; i++) {
        if ((reached & 1L << i) == 0 && (reached & 1L << parent[i]) != 0) {
          reached |= 1L << i;
          grew = true;
        }
      }
    }
    if (reached != all) {
      return false;
    }
    this.orphans = orphanCount;
    this.durationNanos = end - start;
    this.mainRoot = mainRoot(spans, n, orphanCount < n && hasRoot(n) ? -1 : -2);
    return true;
  }

  private boolean hasRoot(int n) {
    for (int i = 0; i < n; i++) {
      if (parent[i] == -1) {
        return true;
      }
    }
    return false;
  }

  /** The longest span whose parent marker is {@code kind}; ties go to the earliest start, then the lowest id. */
  private SpanData mainRoot(List<SpanData> spans, int n, int kind) {
    SpanData best = null;
    for (int i = 0; i < n; i++) {
      if (parent[i] != kind) {
        continue;
      }
      SpanData s = spans.get(i);
      if (best == null || s.durationNanos() > best.durationNanos()
          || s.durationNanos() == best.durationNanos() && earlier(s, best)) {
        best = s;
      }
    }
    return best;
  }

  private static boolean earlier(SpanData a, SpanData b) {
    return a.startEpochNanos() != b.startEpochNanos()
        ? a.startEpochNanos() < b.startEpochNanos()
        : a.spanId().compareTo(b.spanId()) < 0;
  }

  /** The index of the span with id {@code id}, or -2 when it is not in the trace. */
  private static int indexOf(List<SpanData> spans, String id) {
    for (int j = 0, n = spans.size(); j < n; j++) {
      if (spans.get(j).spanId().equals(id)) {
        return j;
      }
    }
    return -2;
  }
}
