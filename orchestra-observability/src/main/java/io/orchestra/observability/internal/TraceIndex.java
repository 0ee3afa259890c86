package io.orchestra.observability.internal;

/**
 * The trace store's index from a trace id's bits to its stored trace: open addressing with
 * linear probing over two parallel arrays, the traces and their ids' hashes. A lookup reads
 * only those arrays until a hash matches, then checks the id bits in that trace; a lookup for a
 * new trace (every span of a new request) touches no stored trace at all, where a chained table
 * read each trace on the chain, scattered over the heap and so a cache miss each. Removal
 * shifts later entries of the run back (no tombstones) using their stored hashes, again without
 * reading a trace. The arrays double as the store fills (load at most 3/4), up to what {@code
 * capacity} traces need: 8 bytes per slot.
 *
 * <p>Not thread-safe: the trace store uses it under its monitor.
 */
final class TraceIndex {
  private static final int INITIAL = 16;

  private final int maxLength;
  private StoredTrace[] traces = new StoredTrace[INITIAL];
  private int[] hashes = new int[INITIAL];
  private int size;

  /** An index that will hold at most {@code capacity} traces. */
  TraceIndex(int capacity) {
    // The smallest power of two holding capacity traces at a load of at most 3/4.
    long needed = (capacity * 4L + 2) / 3;
    this.maxLength = (int) Math.max(INITIAL, Long.highestOneBit(Math.max(1, needed - 1)) << 1);
  }

  /** The trace with id bits {@code high}, {@code low}, or null. */
  StoredTrace get(long high, long low) {
    int h = TraceKey.hash(high, low);
    int mask = traces.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      StoredTrace t = traces[i];
      if (t == null) {
        return null;
      }
      if (hashes[i] == h && t.high == high && t.low == low) {
        return t;
      }
    }
  }

  /** Adds {@code t}, whose id is not indexed; at most {@code capacity} traces are. */
  void add(StoredTrace t) {
    if (size >= traces.length - (traces.length >> 2) && traces.length < maxLength) {
      resize(traces.length << 1);
    }
    place(traces, hashes, t, t.hashCode());
    size++;
  }

  /** Removes {@code t}, which is indexed. */
  void remove(StoredTrace t) {
    int mask = traces.length - 1;
    int i = t.hashCode() & mask;
    while (traces[i] != t) {
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: a later entry of the run moves into the hole unless its home
    // slot lies after the hole (cyclically), where a lookup starting there would not pass it.
    for (int j = (i + 1) & mask; traces[j] != null; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        traces[i] = traces[j];
        hashes[i] = hashes[j];
        i = j;
      }
    }
    traces[i] = null;
    size--;
  }

  int size() {
    return size;
  }

  private void resize(int length) {
    StoredTrace[] newTraces = new StoredTrace[length];
    int[] newHashes = new int[length];
    for (int i = 0; i < traces.length; i++) {
      if (traces[i] != null) {
        place(newTraces, newHashes, traces[i], hashes[i]);
      }
    }
    traces = newTraces;
    hashes = newHashes;
  }

  private static void place(StoredTrace[] traces, int[] hashes, StoredTrace t, int h) {
    int mask = traces.length - 1;
    int i = h & mask;
    while (traces[i] != null) {
      i = (i + 1) & mask;
    }
    traces[i] = t;
    hashes[i] = h;
  }
}
