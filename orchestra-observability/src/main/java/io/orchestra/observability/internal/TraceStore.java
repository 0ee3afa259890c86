package io.orchestra.observability.internal;

import java.util.function.Consumer;

/**
 * Stored traces in arrival order, at most {@code capacity} (the oldest evicted first), with
 * retention by start time, and the traces waiting to be judged (those that received spans since
 * they were last judged), so that completion visits only those instead of the whole store.
 * Thread-safe through its own monitor, which callers also hold (via {@link #lock()}) while they
 * read a trace's spans.
 *
 * <p>The arrival order and the waiting list are linked through the traces themselves, and the
 * index ({@link TraceIndex}) keeps only the traces and their hashes: adding a trace allocates
 * nothing (a map entry per trace was 40 bytes and a pointer hop on every lookup), and an
 * evicted or purged trace leaves the index, the order and the waiting list at once, so none of
 * them ever holds more than the store.
 */
final class TraceStore {
  private final int capacity;
  private final TraceIndex index;
  private int size;
  private StoredTrace oldest; // arrival order, linked through StoredTrace.newer
  private StoredTrace newest;
  private StoredTrace pendingHead;
  private StoredTrace pendingTail;
  private int pendingCount;
  private long evicted;

  TraceStore(int capacity) {
    this.capacity = capacity;
    this.index = new TraceIndex(capacity);
  }

  Object lock() {
    return this;
  }

  /** The trace with the valid 32-digit id {@code traceId}, created (evicting the oldest when full) when absent. Hold the lock. */
  StoredTrace getOrCreate(String traceId) {
    StoredTrace t = get(Ids.high64(traceId), Ids.low64(traceId));
    return t != null ? t : create(new StoredTrace(traceId));
  }

  /** Stores {@code t} (absent so far, never stored before), evicting the oldest when full. Hold the lock. */
  StoredTrace create(StoredTrace t) {
    if (size == capacity) {
      StoredTrace eldest = oldest;
      unlink(eldest, null);
      evicted++;
    }
    index.add(t);
    t.newer = null;
    if (newest == null) {
      oldest = t;
    } else {
      newest.newer = t;
    }
    newest = t;
    size++;
    return t;
  }

  /** The trace with the valid 32-digit id {@code traceId}, or null. Hold the lock. */
  StoredTrace get(String traceId) {
    return get(Ids.high64(traceId), Ids.low64(traceId));
  }

  /** The trace with id bits {@code high}, {@code low}, or null. Hold the lock. */
  StoredTrace get(long high, long low) {
    return index.get(high, low);
  }

  /** Visits every trace overlapping {@code [from, to)}. Hold the lock. */
  void forEach(long from, long to, Consumer<StoredTrace> visitor) {
    for (StoredTrace t = oldest; t != null; t = t.newer) {
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
    StoredTrace older = null;
    for (StoredTrace t = oldest; t != null; ) {
      StoredTrace next = t.newer;
      if (t.endEpochMillis < cutoff) {
        unlink(t, older);
        removed++;
      } else {
        older = t;
      }
      t = next;
    }
    return removed;
  }

  /** Removes {@code t}, whose predecessor in arrival order is {@code older} (null: the oldest), from everything. */
  private void unlink(StoredTrace t, StoredTrace older) {
    index.remove(t);
    if (older == null) {
      oldest = t.newer;
    } else {
      older.newer = t.newer;
    }
    if (newest == t) {
      newest = older;
    }
    t.newer = null;
    size--;
    unmarkPending(t);
    t.removed = true;
  }

  int size() {
    return size;
  }

  long evicted() {
    return evicted;
  }
}
