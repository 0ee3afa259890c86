package io.orchestra.observability.internal;

import io.orchestra.observability.metrics.AnomalyKind;
import java.util.Arrays;

/**
 * A per-series baseline that is robust to the anomalies it looks for: the median and the median
 * absolute deviation (MAD) of the last accepted values. A value is anomalous when its robust
 * z-score {@code (x - median) / (1.4826 * MAD)} reaches the threshold. Anomalous values do not
 * enter the window, so a spike does not widen the band that judges the next value; but when
 * {@code shiftConfirm} consecutive anomalies fall on the same side the series has moved, and the
 * window re-bases on those values (reported once as a level shift).
 *
 * <p>Nothing is judged before {@code warmup} values were seen. The scale has a floor of 0.1% of
 * the median (and a tiny absolute one) so that a perfectly flat series does not flag rounding.
 *
 * <p>The window is also kept sorted as values enter and leave it (binary searches and a shift of
 * the values ranked between the one leaving and the one entering), so the median is one read and the MAD a walk outwards from
 * the median over half the window: judging a value costs O(capacity) with no sort, where
 * sorting the window twice per value was a third of a processed trace's cost.
 *
 * <p>Not thread-safe: the owning series guards it.
 */
public final class RobustBaseline {
  private static final double MAD_TO_SIGMA = 1.4826;
  private static final double MEAN_ABS_TO_SIGMA = 1.2533;

  /** The accepted values in arrival order (a ring). */
  private final double[] window;
  /** The same values in ascending order (by {@link Double#compare}). */
  private final double[] sorted;
  private final int warmup;
  private final double threshold;
  private final double[] shiftValues;
  private int size;
  private int next;
  private boolean warmedUp;
  private int shiftRun;
  private int shiftDirection;
  private boolean statsValid;
  private double median;
  private double scale;
  private double frozenScale = Double.NaN;
  private double ewmaAbsDev = Double.NaN;
  private final double alpha;

  /** A baseline over {@code capacity} values. */
  public RobustBaseline(int capacity, int warmup, double threshold, int shiftConfirm) {
    this.window = new double[capacity];
    this.sorted = new double[capacity];
    this.warmup = warmup;
    this.threshold = threshold;
    this.shiftValues = new double[shiftConfirm];
    this.alpha = 2.0 / (capacity + 1);
  }

  /** Judges {@code x} then learns from it; returns null when normal (or still warming up). */
  public Verdict observe(double x) {
    if (!warmedUp) {
      accept(x);
      warmedUp = size >= warmup;
      return null;
    }
    computeStats();
    double z = (x - median) / scale;
    if (Math.abs(z) < threshold) {
      shiftRun = 0;
      double dev = Math.abs(x - median);
      ewmaAbsDev = Double.isNaN(ewmaAbsDev) ? dev : ewmaAbsDev + alpha * (dev - ewmaAbsDev);
      accept(x);
      return null;
    }
    int direction = z > 0 ? 1 : -1;
    if (direction != shiftDirection) {
      shiftRun = 0;
      shiftDirection = direction;
    }
    shiftValues[shiftRun++] = x;
    double low = median - threshold * scale;
    double high = median + threshold * scale;
    AnomalyKind kind = direction > 0 ? AnomalyKind.SPIKE : AnomalyKind.DROP;
    if (shiftRun == shiftValues.length) {
      kind = AnomalyKind.LEVEL_SHIFT;
      rebase();
    }
    return new Verdict(kind, z, low, high, 1 - threshold / Math.abs(z));
  }

  /** Number of values in the window. */
  public int size() {
    return size;
  }

  /** The window's values in ascending order (a copy; for tests). */
  double[] sortedWindow() {
    return Arrays.copyOf(sorted, size);
  }

  /** The window's values in any order (a copy; for tests). */
  double[] windowValues() {
    return Arrays.copyOf(window, size);
  }

  private void accept(double x) {
    if (size == window.length) {
      replaceSorted(window[next], x);
    } else {
      insertSorted(x);
      size++;
    }
    window[next] = x;
    next = (next + 1) % window.length;
    statsValid = false;
  }

  /** Inserts into {@code sorted[0, size)}; the caller then grows {@code size}. */
  private void insertSorted(double x) {
    int at = Arrays.binarySearch(sorted, 0, size, x);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, size - at);
    sorted[at] = x;
  }

  /**
   * Replaces one occurrence of {@code out} (in the full window) by {@code in}, shifting only the
   * values ranked between them: a steady series replaces a value by a close one, so this moves
   * a few doubles where removing and inserting moved about the whole window each time.
   */
  private void replaceSorted(double out, double in) {
    int from = Arrays.binarySearch(sorted, 0, size, out);
    int c = Double.compare(in, out);
    if (c > 0) {
      // sorted[from + 1, p) are at most in and sorted[p, size) at least in: shift the first left.
      int p = Arrays.binarySearch(sorted, from + 1, size, in);
      p = p < 0 ? -p - 1 : p;
      System.arraycopy(sorted, from + 1, sorted, from, p - 1 - from);
      sorted[p - 1] = in;
    } else if (c < 0) {
      // sorted[0, p) are at most in and sorted[p, from) at least in: shift the second right.
      int p = Arrays.binarySearch(sorted, 0, from, in);
      p = p < 0 ? -p - 1 : p;
      System.arraycopy(sorted, p, sorted, p + 1, from - p);
      sorted[p] = in;
    } else {
      sorted[from] = in;
    }
  }

  private void rebase() {
    // The few values of the new level say where it is but not how noisy it is: keep judging with
    // the old spread until the window has warmed up again.
    computeStats();
    frozenScale = scale;
    size = 0;
    next = 0;
    for (double v : shiftValues) {
      accept(v);
    }
    shiftRun = 0;
    shiftDirection = 0;
  }

  private void computeStats() {
    if (statsValid) {
      return;
    }
    median = medianOfSorted(sorted, size);
    double mad = medianAbsoluteDeviation(sorted, size, median);
    scale = Math.max(MAD_TO_SIGMA * mad, Math.max(1e-9, 0.001 * Math.abs(median)));
    if (!Double.isNaN(ewmaAbsDev)) {
      // The window's MAD of a few dozen values is noisy; an EWMA of absolute deviations remembers
      // more of the past. Taking the larger keeps a momentarily small MAD from flagging noise.
      scale = Math.max(scale, MEAN_ABS_TO_SIGMA * ewmaAbsDev);
    }
    if (!Double.isNaN(frozenScale)) {
      if (size < warmup) {
        scale = frozenScale;
      } else {
        frozenScale = Double.NaN;
      }
    }
    statsValid = true;
  }

  private static double medianOfSorted(double[] a, int n) {
    return (n & 1) == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  /**
   * The median of {@code |a[i] - m|} for sorted {@code a[0, n)} and its median {@code m}: the
   * deviations left of {@code m} grow leftwards and those right of it grow rightwards, so merging
   * the two runs from the middle yields the deviations in ascending order; the median is reached
   * after about {@code n / 2} steps.
   */
  static double medianAbsoluteDeviation(double[] a, int n, double m) {
    int right = n / 2;
    while (right > 0 && a[right - 1] >= m) {
      right--;
    }
    while (right < n && a[right] < m) {
      right++;
    }
    int left = right - 1;
    int wanted = n / 2; // index of the (upper) median among the ascending deviations
    double previous = 0;
    double current = 0;
    for (int k = 0; k <= wanted; k++) {
      previous = current;
      if (left < 0 || (right < n && a[right] - m <= m - a[left])) {
        current = a[right++] - m;
      } else {
        current = m - a[left--];
      }
    }
    return (n & 1) == 1 ? current : (previous + current) / 2;
  }

  /**
   * The judgement of one anomalous value.
   *
   * @param kind spike, drop or level shift
   * @param score robust z-score
   * @param expectedLow lower end of the band
   * @param expectedHigh upper end of the band
   * @param severityScore {@code 1 - threshold / |score|}
   */
  public record Verdict(AnomalyKind kind, double score, double expectedLow, double expectedHigh, double severityScore) {}
}
