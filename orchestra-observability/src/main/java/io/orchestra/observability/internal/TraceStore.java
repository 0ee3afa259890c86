package io.orchestra.observability.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stored traces in arrival order, at most {@code capacity} (the oldest evicted first), with
 * retention by start time, and the traces waiting to be judged (those that received spans since
 * they were last judged), so that completion visits only those instead of the whole store.
 * Thread-safe through its own monitor, which callers also hold (via {@link #lock()}) while they
 * read a trace's spans.
 *
 * <p>Adding a trace allocates only its map entry: eviction happens in the map's own insertion
 * hook, and the waiting list is linked through the traces themselves, so an evicted or purged
 * trace leaves it at once and the list never holds more than the store.
 */
final class TraceStore {
  private final int capacity;
  private final LinkedHashMap<TraceKey, StoredTrace> traces;
  private final TraceKey probe = new TraceKey(0, 0); // lookups only; guarded by the lock
  private StoredTrace pendingHead;
  private StoredTrace pendingTail;
  private int pendingCount;
  private long evicted;

  TraceStore(int capacity) {
    this.capacity = capacity;
    this.traces = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<TraceKey, StoredTrace> eldest) {
        if (size() <= TraceStore.this.capacity) {
          return false;
        }
        evicted++;
        forget(eldest.getValue());
        return true;
      }
    };
  }

  Object lock() {
    return this;
  }

  /** The trace with the valid 32-digit id {@code traceId}, created (evicting the oldest when full) when absent. Hold the lock. */
  StoredTrace getOrCreate(String traceId) {
    StoredTrace t = get(Ids.high64(traceId), Ids.low64(traceId));
    return t != null ? t : create(new StoredTrace(traceId));
  }

  /** Stores {@code t} (absent so far), evicting the oldest when full. Hold the lock. */
  StoredTrace create(StoredTrace t) {
    traces.put(t, t); // the trace is its own key
    return t;
  }

  /** The trace with the valid 32-digit id {@code traceId}, or null. Hold the lock. */
  StoredTrace get(String traceId) {
    return get(Ids.high64(traceId), Ids.low64(traceId));
  }

  /** The trace with id bits {@code high}, {@code low}, or null. Hold the lock. */
  StoredTrace get(long high, long low) {
    probe.high = high;
    probe.low = low;
    return traces.get(probe);
  }

  /** Visits every trace overlapping {@code [from, to)}. Hold the lock. */
  void forEach(long from, long to, Consumer<StoredTrace> visitor) {
    for (StoredTrace t : traces.values()) {
      if (!t.spans.isEmpty() && t.startEpochMillis < to && t.endEpochMillis >= from) {
        visitor.accept(t);
      }
    }
  }

  /** Marks {@code t} (a stored trace that just received spans) as waiting to be judged. Hold the lock. */
  void markPending(StoredTrace t) {
    if (t.pending || t.removed) {
      return;
    }
    t.pending = true;
    t.pendingPrev = pendingTail;
    t.pendingNext = null;
    if (pendingTail == null) {
      pendingHead = t;
    } else {
      pendingTail.pendingNext = t;
    }
    pendingTail = t;
    pendingCount++;
  }

  /** The longest-waiting trace, or null; walk on with {@code pendingNext}. Hold the lock. */
  StoredTrace firstPending() {
    return pendingHead;
  }

  /** Takes {@code t} off the waiting list. Hold the lock. */
  void unmarkPending(StoredTrace t) {
    if (!t.pending) {
      return;
    }
    StoredTrace prev = t.pendingPrev;
    StoredTrace next = t.pendingNext;
    if (prev == null) {
      pendingHead = next;
    } else {
      prev.pendingNext = next;
    }
    if (next == null) {
      pendingTail = prev;
    } else {
      next.pendingPrev = prev;
    }
    t.pendingPrev = null;
    t.pendingNext = null;
    t.pending = false;
    pendingCount--;
  }

  /** Traces waiting to be judged. Hold the lock. */
  int pendingCount() {
    return pendingCount;
  }

  /** Drops traces that started before {@code cutoff}. Hold the lock. */
  int purgeBefore(long cutoff) {
    int removed = 0;
    Iterator<StoredTrace> it = traces.values().iterator();
    while (it.hasNext()) {
      StoredTrace t = it.next();
      if (t.endEpochMillis < cutoff) {
        it.remove();
        forget(t);
        removed++;
      }
    }
    return removed;
  }

  private void forget(StoredTrace t) {
    unmarkPending(t);
    t.removed = true;
  }

  int size() {
    return traces.size();
  }

  long evicted() {
    return evicted;
  }
}
