package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.CriticalPathSegment;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.TraceHierarchy;
import io.orchestra.observability.traces.TraceMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link TraceAnalysis} from spans in any order: parent links resolved by id, orphans
 * rooting their own subtrees, cycles broken at their earliest span, children by start time, the
 * critical path, and the cross-service calls. Stateless and thread-safe; linear in the spans
 * (plus sorting children).
 */
public final class TraceAnalyzer {
  private static final Comparator<SpanData> BY_START =
      Comparator.comparingLong(SpanData::startEpochNanos).thenComparing(SpanData::spanId);

  private TraceAnalyzer() {}

  /** Analyses {@code spans} (unique span ids) of trace {@code traceId}. */
  public static TraceAnalysis analyze(String traceId, List<SpanData> spans) {
    Map<String, SpanData> byId = new LinkedHashMap<>();
    for (SpanData s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    Map<String, List<SpanData>> children = new HashMap<>();
    List<SpanData> roots = new ArrayList<>();
    List<SpanData> orphans = new ArrayList<>();
    for (SpanData s : byId.values()) {
      String p = s.parentSpanId();
      if (p == null) {
        roots.add(s);
      } else if (!byId.containsKey(p)) {
        orphans.add(s);
      } else {
        children.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
      }
    }
    roots.sort(BY_START);
    orphans.sort(BY_START);
    for (List<SpanData> l : children.values()) {
      l.sort(BY_START);
    }
    // Walk from roots and orphans; whatever is not reached hangs in a parent loop.
    Set<String> visited = new HashSet<>();
    Map<String, Integer> depthOf = new HashMap<>();
    int depth = 0;
    for (SpanData r : roots) {
      depth = Math.max(depth, walk(r, children, visited, depthOf));
    }
    for (SpanData o : orphans) {
      depth = Math.max(depth, walk(o, children, visited, depthOf));
    }
    List<SpanData> cycleBreaks = new ArrayList<>();
    if (visited.size() < byId.size()) {
      List<SpanData> unvisited = new ArrayList<>();
      for (SpanData s : byId.values()) {
        if (!visited.contains(s.spanId())) {
          unvisited.add(s);
        }
      }
      unvisited.sort(BY_START);
      for (SpanData s : unvisited) {
        if (!visited.contains(s.spanId())) {
          cycleBreaks.add(s);
          // The break point's parent link is ignored: remove it from its parent's children.
          List<SpanData> siblings = children.get(s.parentSpanId());
          if (siblings != null) {
            siblings.remove(s);
          }
          depth = Math.max(depth, walk(s, children, visited, depthOf));
        }
      }
    }
    Map<String, List<String>> childIds = new HashMap<>();
    children.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            List<String> ids = new ArrayList<>(v.size());
            v.forEach(c -> ids.add(c.spanId()));
            childIds.put(k, ids);
          }
        });
    TraceHierarchy hierarchy =
        new TraceHierarchy(ids(roots), ids(orphans), ids(cycleBreaks), childIds, depth);
    SpanData main = mainRoot(roots, orphans, cycleBreaks);
    TraceMetrics metrics = metrics(traceId, byId, main, children);
    List<TraceAnalysis.Call> calls = calls(byId, children);
    List<SpanData> origins = new ArrayList<>();
    Map<String, List<String>> propagation = new HashMap<>();
    errorOrigins(byId, children, origins, propagation);
    return new TraceAnalysis(hierarchy, metrics, calls, origins, propagation, byId);
  }

  /** Iterative DFS (deep traces must not overflow the stack); returns the subtree depth. */
  private static int walk(SpanData start, Map<String, List<SpanData>> children, Set<String> visited, Map<String, Integer> depthOf) {
    ArrayDeque<SpanData> stack = new ArrayDeque<>();
    ArrayDeque<Integer> depths = new ArrayDeque<>();
    stack.push(start);
    depths.push(1);
    int max = 0;
    while (!stack.isEmpty()) {
      SpanData s = stack.pop();
      int d = depths.pop();
      if (!visited.add(s.spanId())) {
        continue;
      }
      depthOf.put(s.spanId(), d);
      max = Math.max(max, d);
      List<SpanData> kids = children.get(s.spanId());
      if (kids != null) {
        for (int i = kids.size() - 1; i >= 0; i--) {
          if (!visited.contains(kids.get(i).spanId())) {
            stack.push(kids.get(i));
            depths.push(d + 1);
          }
        }
      }
    }
    return max;
  }

  private static SpanData mainRoot(List<SpanData> roots, List<SpanData> orphans, List<SpanData> breaks) {
    List<SpanData> candidates = !roots.isEmpty() ? roots : !orphans.isEmpty() ? orphans : breaks;
    SpanData best = null;
    for (SpanData s : candidates) {
      if (best == null || s.durationNanos() > best.durationNanos()) {
        best = s;
      }
    }
    return best;
  }

  private static TraceMetrics metrics(String traceId, Map<String, SpanData> byId, SpanData main, Map<String, List<SpanData>> children) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Set<String> services = new TreeSet<>();
    for (SpanData s : byId.values()) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      if (s.error()) {
        errors++;
      }
      services.add(s.serviceName());
    }
    List<CriticalPathSegment> path = new ArrayList<>();
    Set<String> onPath = new HashSet<>();
    SpanData node = main;
    while (node != null && onPath.add(node.spanId())) {
      SpanData next = null;
      for (SpanData c : children.getOrDefault(node.spanId(), List.of())) {
        if (next == null || c.endEpochNanos() > next.endEpochNanos()) {
          next = c;
        }
      }
      long self = node.durationNanos() - (next == null ? 0 : Math.max(0, next.durationNanos()));
      path.add(new CriticalPathSegment(node.spanId(), node.serviceName(), node.operationName(), node.durationNanos(), Math.max(0, self)));
      node = next;
    }
    return new TraceMetrics(
        traceId,
        Math.floorDiv(start, 1_000_000),
        end - start,
        byId.size(),
        errors,
        new ArrayList<>(services),
        main == null ? null : main.serviceName(),
        main == null ? null : main.operationName(),
        path);
  }

  private static List<TraceAnalysis.Call> calls(Map<String, SpanData> byId, Map<String, List<SpanData>> children) {
    List<TraceAnalysis.Call> calls = new ArrayList<>();
    for (SpanData s : byId.values()) {
      SpanData parent = s.parentSpanId() == null ? null : byId.get(s.parentSpanId());
      if (parent != null && !parent.serviceName().equals(s.serviceName())) {
        calls.add(new TraceAnalysis.Call(parent.serviceName(), s.serviceName(), s.error(), s.durationNanos()));
      }
      String peer = s.attributes().get("peer.service");
      if (s.kind() == SpanKind.CLIENT && peer != null && !peer.equals(s.serviceName()) && !hasChildIn(s, peer, children)) {
        calls.add(new TraceAnalysis.Call(s.serviceName(), peer, s.error(), s.durationNanos()));
      }
    }
    return calls;
  }

  private static boolean hasChildIn(SpanData s, String service, Map<String, List<SpanData>> children) {
    for (SpanData c : children.getOrDefault(s.spanId(), List.of())) {
      if (c.serviceName().equals(service)) {
        return true;
      }
    }
    return false;
  }

  /** Failed spans without failed descendants, and the services of their failed ancestors. */
  private static void errorOrigins(
      Map<String, SpanData> byId, Map<String, List<SpanData>> children, List<SpanData> origins, Map<String, List<String>> propagation) {
    Set<String> failedBelow = new HashSet<>();
    for (SpanData s : byId.values()) {
      if (!s.error()) {
        continue;
      }
      // Mark every ancestor as having a failed descendant (bounded walk against loops).
      String p = s.parentSpanId();
      int guard = byId.size();
      while (p != null && guard-- > 0) {
        if (!failedBelow.add(p)) {
          break;
        }
        SpanData ps = byId.get(p);
        p = ps == null ? null : ps.parentSpanId();
      }
    }
    for (SpanData s : byId.values()) {
      if (s.error() && !failedBelow.contains(s.spanId())) {
        origins.add(s);
        List<String> up = new ArrayList<>();
        String p = s.parentSpanId();
        int guard = byId.size();
        while (p != null && guard-- > 0) {
          SpanData ps = byId.get(p);
          if (ps == null) {
            break;
          }
          if (ps.error() && !ps.serviceName().equals(s.serviceName()) && !up.contains(ps.serviceName())) {
            up.add(ps.serviceName());
          }
          p = ps.parentSpanId();
        }
        propagation.put(s.spanId(), up);
      }
    }
    origins.sort(BY_START);
  }

  private static List<String> ids(List<SpanData> spans) {
    List<String> out = new ArrayList<>(spans.size());
    spans.forEach(s -> out.add(s.spanId()));
    return out;
  }
}
