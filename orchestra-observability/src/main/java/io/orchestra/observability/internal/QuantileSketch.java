package io.orchestra.observability.internal;

import java.util.Arrays;

/**
 * A mergeable quantile sketch with bounded relative error over non-negative values: counts per
 * {@link SketchMapping} bucket in a dense array that grows to the range actually seen, plus a zero
 * bucket. Quantiles are exact to the mapping's relative error; memory is proportional to the
 * logarithm of the value range, not to the number of values.
 *
 * <p>Not thread-safe: confine to one thread or guard externally. {@link #encode()} packs the
 * non-empty buckets into a compact byte array for closed windows.
 */
public final class QuantileSketch {
  private static final long[] EMPTY = new long[0];

  private final SketchMapping mapping;
  // The mapping's two constants, held here so that a record's index does not wait for a load of
  // the mapping first (the record path's latency is its cost, see SketchMapping).
  private final long multiplier;
  private final int indexOffset;
  private long[] counts = EMPTY;
  private int offset;
  private long zeroCount;
  private long total;

  /** An empty sketch on {@code mapping}. */
  public QuantileSketch(SketchMapping mapping) {
    this.mapping = mapping;
    this.multiplier = mapping.multiplier();
    this.indexOffset = mapping.indexOffset();
  }

  /** The mapping. */
  public SketchMapping mapping() {
    return mapping;
  }

  /** Records one value; negative and NaN values count as zero. */
  public void record(double value) {
    record(value, 1);
  }

  /** Records {@code n} observations of {@code value} ({@code n >= 1}). */
  public void record(double value, long n) {
    long bits = Double.doubleToRawLongBits(value);
    int index;
    if (Long.compareUnsigned(bits - SketchMapping.MIN_BITS, SketchMapping.INDEXABLE_SPAN) < 0) {
      index = SketchMapping.index(bits, multiplier, indexOffset);
    } else if (value >= SketchMapping.MAX_VALUE) {
      index = mapping.maxIndex();
    } else { // zero, negative, NaN or below MIN_VALUE
      zeroCount += n;
      total += n;
      return;
    }
    int i = index - offset;
    if (i < 0 || i >= counts.length) {
      i = grow(index);
    }
    counts[i] += n;
    total += n;
  }

  /** Adds {@code count} to bucket {@code index}. */
  public void add(int index, long count) {
    if (count == 0) {
      return;
    }
    int i = index - offset;
    if (i < 0 || i >= counts.length) {
      i = grow(index);
    }
    counts[i] += count;
    total += count;
  }

  /** Adds {@code count} zero values. */
  public void addZeros(long count) {
    zeroCount += count;
    total += count;
  }

  /** Adds every bucket of {@code other}. */
  public void merge(QuantileSketch other) {
    if (other.total == 0) {
      return;
    }
    zeroCount += other.zeroCount;
    total += other.zeroCount;
    for (int i = 0; i < other.counts.length; i++) {
      if (other.counts[i] != 0) {
        add(other.offset + i, other.counts[i]);
      }
    }
  }

  /** Number of recorded values. */
  public long count() {
    return total;
  }

  /** Whether nothing was recorded. */
  public boolean isEmpty() {
    return total == 0;
  }

  /**
   * The {@code q}-quantile (rank {@code q * (count - 1)}), within the relative error of the exact
   * value; NaN when empty.
   */
  public double quantile(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    double rank = Math.max(0, Math.min(1, q)) * (total - 1);
    long seen = zeroCount;
    if (rank < seen) {
      return 0.0;
    }
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (rank < seen) {
        return mapping.value(offset + i);
      }
    }
    return mapping.value(offset + counts.length - 1);
  }

  /** Clears every count. */
  public void clear() {
    Arrays.fill(counts, 0);
    zeroCount = 0;
    total = 0;
  }

  /** The non-empty buckets as varints: zero count, bucket count, then (index delta, count) pairs. */
  public byte[] encode() {
    int nonEmpty = 0;
    for (long c : counts) {
      if (c != 0) {
        nonEmpty++;
      }
    }
    Varint.Writer w = new Varint.Writer(8 + nonEmpty * 3);
    w.writeUnsigned(zeroCount);
    w.writeUnsigned(nonEmpty);
    int previous = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        int index = offset + i;
        w.writeSigned(index - previous);
        w.writeUnsigned(counts[i]);
        previous = index;
      }
    }
    return w.toByteArray();
  }

  /** Adds the buckets of an {@link #encode()}d sketch made with the same mapping. */
  public void mergeEncoded(byte[] encoded) {
    Varint.Reader r = new Varint.Reader(encoded);
    addZeros(r.readUnsigned());
    long n = r.readUnsigned();
    int index = 0;
    for (long k = 0; k < n; k++) {
      index += (int) r.readSigned();
      add(index, r.readUnsigned());
    }
  }

  /** Bytes held by the bucket array (for memory accounting). */
  public int footprintBytes() {
    return counts.length * 8;
  }

  private int grow(int index) {
    if (counts.length == 0) {
      counts = new long[16];
      offset = index - 8;
      return index - offset;
    }
    int lo = Math.min(offset, index);
    int hi = Math.max(offset + counts.length - 1, index);
    int span = hi - lo + 1;
    // Grow with slack on the side that overflowed, so a drifting range does not copy every time.
    int slack = Math.max(8, span / 4);
    int newLo = index < offset ? lo - slack : lo;
    int newLength = span + slack;
    long[] next = new long[newLength];
    System.arraycopy(counts, 0, next, offset - newLo, counts.length);
    counts = next;
    offset = newLo;
    return index - offset;
  }
}
