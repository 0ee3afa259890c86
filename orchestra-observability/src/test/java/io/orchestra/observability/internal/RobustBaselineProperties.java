package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The incrementally sorted window gives the same median and MAD as sorting the window would. */
class RobustBaselineProperties {

  @Property(tries = 500)
  void madFromTheMiddleEqualsMadBySorting(@ForAll @IntRange(min = 1, max = 80) int n, @ForAll long seed) {
    Random r = new Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      // Few distinct values as well as spread ones, so ties at and around the median occur.
      a[i] = r.nextBoolean() ? r.nextInt(5) : r.nextGaussian() * 100;
    }
    Arrays.sort(a);
    double median = median(a.clone());
    double[] deviations = new double[n];
    for (int i = 0; i < n; i++) {
      deviations[i] = Math.abs(a[i] - median);
    }
    assertThat(RobustBaseline.medianAbsoluteDeviation(a, n, median)).isEqualTo(median(deviations));
  }

  @Property(tries = 300)
  void sortedWindowAlwaysHoldsTheWindowsValues(
      @ForAll @IntRange(min = 1, max = 70) int capacity, @ForAll @IntRange(min = 0, max = 600) int values, @ForAll long seed) {
    Random r = new Random(seed);
    RobustBaseline baseline = new RobustBaseline(capacity, Math.max(1, capacity / 2), 3.5, 3);
    double level = 100;
    for (int i = 0; i < values; i++) {
      if (r.nextInt(100) == 0) {
        level *= 5; // level shifts make the baseline re-base its window
      }
      double x = r.nextInt(10) == 0 ? level * 20 : level + r.nextInt(7);
      baseline.observe(x);
      double[] expected = baseline.windowValues();
      Arrays.sort(expected);
      assertThat(baseline.sortedWindow()).containsExactly(expected);
    }
  }

  private static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return (n & 1) == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
