package io.orchestra.observability.internal;

/**
 * Maps positive values to logarithmic buckets whose upper and lower bounds differ by at most a
 * factor {@code gamma = (1 + a) / (1 - a)}, so that the bucket's representative value (the
 * harmonic mean of its bounds) is within relative error {@code a} of every value in it (the
 * DDSketch idea).
 *
 * <p>The index is a piecewise-linear log2 read from the double's bits: a positive double's bits
 * {@code b}, divided by {@code 2^52}, are {@code 1023 + e + m} for {@code v = 2^e * (1 + m)}, and
 * {@code e + m ~ log2 v}. The derivative of {@code ln v} with respect to {@code e + m} is {@code
 * 1 / (1 + m) <= 1}, so buckets of width {@code 1 / K <= ln gamma} in that space span at most a
 * factor {@code gamma} in value space (about 44 % more buckets than an exact logarithm). The
 * index {@code floor(K * b / 2^52)} is computed as one 64x64-bit high multiply of the bits by
 * {@code K * 2^12} rounded up (rounding up only narrows the buckets): no floating-point
 * arithmetic, no int-to-double or double-to-int conversion and no table on the record path. On
 * the AMD EPYC benchmark host those conversions were most of a record's cost, because each
 * record's bucket increment waits for the previous one's address.
 *
 * <p>Immutable and thread-safe.
 */
public final class SketchMapping {
  /** Smaller positive values are counted in the zero bucket. */
  public static final double MIN_VALUE = 0x1p-40;

  /** Larger values are clamped to this one (and lose the error guarantee). */
  public static final double MAX_VALUE = 0x1p62;

  /** The smallest supported relative error (the configuration's lower bound too). */
  public static final double MIN_RELATIVE_ERROR = 0.0001;

  static final long MIN_BITS = Double.doubleToRawLongBits(MIN_VALUE);
  /** {@code bits - MIN_BITS} below this (unsigned) is an indexable value. */
  static final long INDEXABLE_SPAN = Double.doubleToRawLongBits(MAX_VALUE) - MIN_BITS;

  private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
  private static final long INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

  private final double relativeError;
  private final long multiplier;
  private final int indexOffset;
  private final int minIndex;
  private final int maxIndex;

  /** A mapping with the given relative error, in [{@link #MIN_RELATIVE_ERROR}, 0.5]. */
  public SketchMapping(double relativeError) {
    if (!(relativeError >= MIN_RELATIVE_ERROR && relativeError <= 0.5)) {
      throw new IllegalArgumentException(
          "relativeError must be in [" + MIN_RELATIVE_ERROR + ", 0.5], was " + relativeError);
    }
    this.relativeError = relativeError;
    double gamma = (1 + relativeError) / (1 - relativeError);
    this.multiplier = (long) Math.ceil(0x1p12 / Math.log(gamma));
    this.indexOffset = (int) Math.multiplyHigh(ONE_BITS, multiplier); // index(1.0) == 0
    this.minIndex = index(MIN_VALUE);
    this.maxIndex = index(MAX_VALUE);
  }

  /** The relative error bound. */
  public double relativeError() {
    return relativeError;
  }

  /** Index of the smallest indexable value. */
  public int minIndex() {
    return minIndex;
  }

  /** Index of the largest indexable value. */
  public int maxIndex() {
    return maxIndex;
  }

  /** The bucket of {@code value}, which must be in [MIN_VALUE, MAX_VALUE]. */
  public int index(double value) {
    return index(Double.doubleToRawLongBits(value), multiplier, indexOffset);
  }

  /**
   * The bucket of a value's raw bits, for sketches that keep the two constants of their mapping
   * in their own fields (one dependent load less on the record path).
   */
  static int index(long bits, long multiplier, int indexOffset) {
    return (int) Math.multiplyHigh(bits, multiplier) - indexOffset;
  }

  long multiplier() {
    return multiplier;
  }

  int indexOffset() {
    return indexOffset;
  }

  /** The bucket of {@code value}, clamped into the indexable range (value must be positive). */
  public int clampedIndex(double value) {
    if (value >= MAX_VALUE) {
      return maxIndex;
    }
    return index(Math.max(value, MIN_VALUE));
  }

  /** The smallest value mapped to {@code index} (exact: found by bisection over the bits). */
  public double lowerBound(int index) {
    long target = (long) index + indexOffset;
    long lo = 0;
    long hi = INFINITY_BITS;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (Math.multiplyHigh(mid, multiplier) >= target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return Double.longBitsToDouble(lo);
  }

  /** The value reported for {@code index}: within the relative error of every value in it. */
  public double value(int index) {
    double lo = lowerBound(index);
    double hi = lowerBound(index + 1);
    return 2 * lo * hi / (lo + hi);
  }
}
