package io.orchestra.observability.internal;

/**
 * Maps positive values to logarithmic buckets whose upper and lower bounds differ by at most a
 * factor {@code gamma = (1 + a) / (1 - a)}, so that the bucket's representative value (the
 * harmonic mean of the bounds) is within relative error {@code a} of every value in it (the
 * DDSketch idea).
 *
 * <p>No logarithm and no floating-point arithmetic is computed per value: the index is the
 * double's binary exponent times the buckets per octave, plus a table lookup on the top mantissa
 * bits. The table splits every octave {@code [2^e, 2^(e+1))} into {@code 2^q} equal fine slices
 * (each narrower than an eighth of a bucket) and groups consecutive slices greedily into buckets
 * whose bounds differ by at most {@code gamma}. Every octave has the same relative layout, so one
 * table serves them all, and the bucket bounds are exact: the error bound holds by construction
 * (checked when the table is built), not through an approximation of the logarithm. It costs
 * about 6 % more buckets than an exact logarithm (the previous piecewise-linear log2 cost 44 %).
 * On the AMD EPYC benchmark host the floating-point chain of a computed index (int-to-double,
 * multiply, double-to-int) was the dominant cost of a record; the shift, the multiply by the
 * octave width and an L1-resident table load are a few integer cycles.
 *
 * <p>Immutable and thread-safe.
 */
public final class SketchMapping {
  /** Smaller positive values are counted in the zero bucket. */
  public static final double MIN_VALUE = 0x1p-40;

  /** Larger values are clamped to this one (and lose the error guarantee). */
  public static final double MAX_VALUE = 0x1p62;

  /** The smallest supported relative error (the fine table then has 2^16 entries). */
  public static final double MIN_RELATIVE_ERROR = 0.0001;

  private static final int MANTISSA_BITS = 52;
  private static final int EXPONENT_BIAS = 1023;
  private static final int MAX_FINE_BITS = 16;

  private final double relativeError;
  private final int bucketsPerOctave;
  private final int fineShift;
  private final int fineMask;
  /** Bucket within the octave of each fine slice of the mantissa. */
  private final short[] bucketOfSlice;
  /** Lower bound of each bucket within the octave {@code [1, 2)}, and 2.0 at the end. */
  private final double[] octaveLowerBounds;
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
    // Slices at most an eighth of a bucket wide keep the greedy grouping within ~6 % of optimal;
    // the first slice of an octave (the widest, relatively) must itself fit in a bucket.
    int fineBits = (int) Math.ceil(Math.log(8 / Math.log(gamma)) / Math.log(2));
    fineBits = Math.max(1, Math.min(MAX_FINE_BITS, fineBits));
    int slices = 1 << fineBits;
    this.fineShift = MANTISSA_BITS - fineBits;
    this.fineMask = slices - 1;
    this.bucketOfSlice = new short[slices];
    double[] bounds = new double[slices + 1];
    int bucket = 0;
    bounds[0] = 1.0;
    for (int s = 0; s < slices; s++) {
      double sliceEnd = 1.0 + (double) (s + 1) / slices;
      if (sliceEnd / bounds[bucket] > gamma) {
        bucket++;
        bounds[bucket] = 1.0 + (double) s / slices;
      }
      bucketOfSlice[s] = (short) bucket;
    }
    this.bucketsPerOctave = bucket + 1;
    bounds[bucketsPerOctave] = 2.0;
    this.octaveLowerBounds = java.util.Arrays.copyOf(bounds, bucketsPerOctave + 1);
    for (int b = 0; b < bucketsPerOctave; b++) {
      if (octaveLowerBounds[b + 1] / octaveLowerBounds[b] > gamma) {
        throw new IllegalStateException("bucket " + b + " is wider than gamma " + gamma);
      }
    }
    this.minIndex = index(MIN_VALUE);
    this.maxIndex = index(MAX_VALUE);
  }

  /** The relative error bound. */
  public double relativeError() {
    return relativeError;
  }

  /** Buckets per factor of two (the same in every octave). */
  public int bucketsPerOctave() {
    return bucketsPerOctave;
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
    long bits = Double.doubleToRawLongBits(value);
    int octave = (int) (bits >>> MANTISSA_BITS) - EXPONENT_BIAS;
    return octave * bucketsPerOctave + bucketOfSlice[(int) (bits >>> fineShift) & fineMask];
  }

  /** The bucket of {@code value}, clamped into the indexable range (value must be positive). */
  public int clampedIndex(double value) {
    if (value >= MAX_VALUE) {
      return maxIndex;
    }
    return index(Math.max(value, MIN_VALUE));
  }

  /** The smallest value mapped to {@code index}. */
  public double lowerBound(int index) {
    int octave = Math.floorDiv(index, bucketsPerOctave);
    return Math.scalb(octaveLowerBounds[index - octave * bucketsPerOctave], octave);
  }

  /** The value reported for {@code index}: within the relative error of every value in it. */
  public double value(int index) {
    double lo = lowerBound(index);
    double hi = lowerBound(index + 1);
    return 2 * lo * hi / (lo + hi);
  }
}
