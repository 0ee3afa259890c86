package io.orchestra.observability.traces;

import io.orchestra.core.internal.Checks;
import java.util.List;

/**
 * The spans of one trace handed to {@code collectDistributedTrace}; a trace may arrive in several
 * parts (one per service), which the engine merges. Immutable.
 *
 * @param traceId 32 hex digits
 * @param spans its spans, in any order
 */
public record TraceData(String traceId, List<SpanData> spans) {

  /** Copies the span list (null elements are counted and skipped on collection). */
  public TraceData {
    spans = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(Checks.notNull("spans", spans)));
  }
}
