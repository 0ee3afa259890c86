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
 *
 * <p>Retention removes every record older than the cutoff, also one that arrived after a newer
 * one (clocks of different hosts, a late batch). Records in timestamp order are purged from the old
 * end; the store tracks the oldest timestamp that arrived out of order, and compacts the ring only
 * when that one is due: a stream in order never pays for a scan.
 */
public final class LogStore {
  private final LogRecord[] ring;
  private final Map<String, List<LogRecord>> byTrace = new HashMap<>();
  private int head; // next write position
  private int size;
  private long evicted;
  /** The newest timestamp among the records added since the last compaction (or held). */
  private long newest = Long.MIN_VALUE;
  /** The oldest timestamp that arrived older than {@link #newest}; MAX_VALUE when none is held. */
  private long oldestOutOfOrder = Long.MAX_VALUE;

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
    long ts = r.timestampEpochMillis();
    if (ts < newest) {
      oldestOutOfOrder = Math.min(oldestOutOfOrder, ts);
    } else {
      newest = ts;
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

  /** Drops every record older than {@code cutoff}; returns how many. */
  public synchronized int purgeBefore(long cutoff) {
    if (oldestOutOfOrder < cutoff) {
      return compact(cutoff);
    }
    // In order up to the cutoff: a record older than it that is not out of order has only older
    // records before it, so all of them form the old end.
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

  /** Keeps the records at or after {@code cutoff}, in arrival order, from the ring's start. */
  private int compact(long cutoff) {
    int start = (head - size + ring.length) % ring.length;
    int kept = 0;
    long keptNewest = Long.MIN_VALUE;
    long keptOutOfOrder = Long.MAX_VALUE;
    LogRecord[] survivors = new LogRecord[size];
    for (int k = 0; k < size; k++) {
      int at = (start + k) % ring.length;
      LogRecord r = ring[at];
      ring[at] = null;
      long ts = r.timestampEpochMillis();
      if (ts < cutoff) {
        unindex(r);
        continue;
      }
      if (ts < keptNewest) {
        keptOutOfOrder = Math.min(keptOutOfOrder, ts);
      } else {
        keptNewest = ts;
      }
      survivors[kept++] = r;
    }
    int removed = size - kept;
    System.arraycopy(survivors, 0, ring, 0, kept);
    size = kept;
    head = kept % ring.length;
    newest = keptNewest;
    oldestOutOfOrder = keptOutOfOrder;
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
