package io.orchestra.observability.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stored traces in arrival order, at most {@code capacity} (the oldest evicted first), with
 * retention by start time. Thread-safe through its own monitor, which callers also hold (via
 * {@link #lock()}) while they read a trace's spans.
 */
final class TraceStore {
  private final int capacity;
  private final LinkedHashMap<String, StoredTrace> traces = new LinkedHashMap<>();
  private long evicted;

  TraceStore(int capacity) {
    this.capacity = capacity;
  }

  Object lock() {
    return this;
  }

  /** The trace, created (evicting the oldest when full) when absent. Hold the lock. */
  StoredTrace getOrCreate(String traceId) {
    StoredTrace t = traces.get(traceId);
    if (t == null) {
      if (traces.size() >= capacity) {
        Iterator<Map.Entry<String, StoredTrace>> it = traces.entrySet().iterator();
        it.next();
        it.remove();
        evicted++;
      }
      t = new StoredTrace(traceId);
      traces.put(traceId, t);
    }
    return t;
  }

  /** The trace or null. Hold the lock. */
  StoredTrace get(String traceId) {
    return traces.get(traceId);
  }

  /** Visits every trace overlapping {@code [from, to)}. Hold the lock. */
  void forEach(long from, long to, Consumer<StoredTrace> visitor) {
    for (StoredTrace t : traces.values()) {
      if (!t.spans.isEmpty() && t.startEpochMillis < to && t.endEpochMillis >= from) {
        visitor.accept(t);
      }
    }
  }

  /** Every trace, oldest first (a copy). Hold the lock. */
  List<StoredTrace> all() {
    return new ArrayList<>(traces.values());
  }

  /** Drops traces that started before {@code cutoff}. Hold the lock. */
  int purgeBefore(long cutoff) {
    int removed = 0;
    Iterator<StoredTrace> it = traces.values().iterator();
    while (it.hasNext()) {
      StoredTrace t = it.next();
      if (t.endEpochMillis < cutoff) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  int size() {
    return traces.size();
  }

  long evicted() {
    return evicted;
  }
}
