package io.orchestra.observability.traces;

/** What is unusual about a trace. */
public enum TraceAnomalyKind {
  /** A span failed and none of its descendants did: where the error started. */
  ERROR_ORIGIN,
  /** The trace took far longer than this root operation's baseline. */
  SLOW_TRACE,
  /** A span took at least the slow-span threshold. */
  SLOW_SPAN,
  /** Spans whose parents never arrived. */
  ORPHAN_SPANS,
  /** Parent links that form a loop. */
  CYCLE
}
