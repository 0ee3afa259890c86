package io.orchestra.observability.internal;

import io.orchestra.observability.logs.LogRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stored (masked) log records: a ring of fixed capacity in arrival order, so the oldest record is
 * evicted first, plus an index by trace id for correlation by request. Thread-safe (one monitor;
 * ingestion and queries are batch operations, not per-request hot paths).
 */
public final class LogStore {
  private final LogRecord[] ring;
  private final Map<String, List<LogRecord>> byTrace = new HashMap<>();
  private int head; // next write position
  private int size;
  private long evicted;

  /** A store of {@code capacity} records. */
  public LogStore(int capacity) {
    this.ring = new LogRecord[capacity];
  }

  /** Adds one record, evicting the oldest when full. */
  public synchronized void add(LogRecord r) {
    LogRecord old = ring[head];
    if (old != null && size == ring.length) {
      unindex(old);
      evicted++;
    }
    ring[head] = r;
    head = (head + 1) % ring.length;
    if (size < ring.length) {
      size++;
    }
    if (r.traceId() != null) {
      byTrace.computeIfAbsent(r.traceId(), k -> new ArrayList<>(2)).add(r);
    }
  }

  /** Records of {@code traceId} in arrival order (a copy). */
  public synchronized List<LogRecord> byTrace(String traceId) {
    List<LogRecord> l = byTrace.get(traceId);
    return l == null ? List.of() : new ArrayList<>(l);
  }

  /** Visits every record with a timestamp in {@code [from, to)}, oldest arrival first. */
  public synchronized void forEach(long from, long to, Consumer<LogRecord> visitor) {
    int start = (head - size + ring.length) % ring.length;
    for (int k = 0; k < size; k++) {
      LogRecord r = ring[(start + k) % ring.length];
      if (r.timestampEpochMillis() >= from && r.timestampEpochMillis() < to) {
        visitor.accept(r);
      }
    }
  }

  /** Drops records from the old end while they are older than {@code cutoff}; returns how many. */
  public synchronized int purgeBefore(long cutoff) {
    int removed = 0;
    int start = (head - size + ring.length) % ring.length;
    while (size > 0 && ring[start].timestampEpochMillis() < cutoff) {
      unindex(ring[start]);
      ring[start] = null;
      start = (start + 1) % ring.length;
      size--;
      removed++;
    }
    return removed;
  }

  /** Records held. */
  public synchronized int size() {
    return size;
  }

  /** Records evicted because the store was full. */
  public synchronized long evicted() {
    return evicted;
  }

  private void unindex(LogRecord r) {
    if (r.traceId() == null) {
      return;
    }
    List<LogRecord> l = byTrace.get(r.traceId());
    if (l != null) {
      l.remove(r);
      if (l.isEmpty()) {
        byTrace.remove(r.traceId());
      }
    }
  }
}
