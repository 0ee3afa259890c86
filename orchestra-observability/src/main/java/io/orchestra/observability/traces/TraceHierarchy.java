package io.orchestra.observability.traces;

import java.util.List;
import java.util.Map;

/**
 * The parent/child structure of a trace. Spans whose parent never arrived are orphans and root
 * their own subtree; a parent chain that loops is broken at its earliest span, which then roots
 * the rest. Children are ordered by start time. Immutable.
 *
 * @param roots span ids without a parent (true roots), by start time
 * @param orphans span ids whose parent is unknown, by start time
 * @param cycleBreaks span ids whose parent link was ignored to break a cycle
 * @param children child span ids per span id (only spans with children)
 * @param depth the longest root-to-leaf chain, in spans
 */
public record TraceHierarchy(
    List<String> roots,
    List<String> orphans,
    List<String> cycleBreaks,
    Map<String, List<String>> children,
    int depth) {

  /** Copies the collections. */
  public TraceHierarchy {
    roots = List.copyOf(roots);
    orphans = List.copyOf(orphans);
    cycleBreaks = List.copyOf(cycleBreaks);
    children = Map.copyOf(children);
  }

  /** The children of {@code spanId}, empty when it has none. */
  public List<String> childrenOf(String spanId) {
    return children.getOrDefault(spanId, List.of());
  }
}
