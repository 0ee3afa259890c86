package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The table mapping's error bound, over random values and over every slice edge of an octave. */
class SketchMappingProperties {
  private static final long MANTISSA = (1L << 52) - 1;

  @Property(tries = 5_000)
  void everyIndexableValueIsWithinTheRelativeErrorOfItsBucketsValue(
      @ForAll @IntRange(min = -40, max = 61) int exponent,
      @ForAll @LongRange(min = 0, max = MANTISSA) long mantissa,
      @ForAll @IntRange(min = 1, max = 5_000) int alphaTenThousandths) {
    double value = Double.longBitsToDouble((long) (exponent + 1023) << 52 | mantissa);
    SketchMapping m = new SketchMapping(alphaTenThousandths / 10_000.0);
    assertWithinBound(m, value);
  }

  @ParameterizedTest(name = "relative error {0}")
  @ValueSource(doubles = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5})
  void bothEdgesOfEveryBucketAreWithinTheBound(double alpha) {
    SketchMapping m = new SketchMapping(alpha);
    int k = m.bucketsPerOctave();
    for (int octave : new int[] {-40, -1, 0, 1, 20, 61}) {
      for (int b = octave * k; b < (octave + 1) * k; b++) {
        double lo = m.lowerBound(b);
        double hi = m.lowerBound(b + 1);
        assertThat(hi / lo).as("bucket %s", b).isLessThanOrEqualTo((1 + alpha) / (1 - alpha) * (1 + 1e-15));
        assertWithinBound(m, lo);
        assertWithinBound(m, Math.nextDown(hi));
        assertThat(m.index(lo)).isEqualTo(b);
        assertThat(m.index(hi)).isEqualTo(b + 1);
      }
    }
  }

  @ParameterizedTest(name = "relative error {0}")
  @ValueSource(doubles = {0.0001, 0.001, 0.005, 0.01, 0.02})
  void usesAtMostFivePercentMoreBucketsThanAnExactLogarithm(double alpha) {
    double exact = Math.log(2) / Math.log((1 + alpha) / (1 - alpha));
    assertThat((double) new SketchMapping(alpha).bucketsPerOctave()).isBetween(exact, exact * 1.05);
  }

  @Property(tries = 1_000)
  void indexIsMonotone(
      @ForAll @DoubleRange(min = -27, max = 42) double logA,
      @ForAll @DoubleRange(min = -27, max = 42) double logB) {
    SketchMapping m = new SketchMapping(0.01);
    double a = Math.exp(Math.min(logA, logB));
    double b = Math.exp(Math.max(logA, logB));
    assertThat(m.index(a)).isLessThanOrEqualTo(m.index(b));
  }

  @ParameterizedTest(name = "relative error {0}")
  @ValueSource(doubles = {0.00009, 0, -0.01, 0.51, Double.NaN})
  void rejectsUnsupportedRelativeErrors(double alpha) {
    assertThatThrownBy(() -> new SketchMapping(alpha))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("relativeError");
  }

  private static void assertWithinBound(SketchMapping m, double value) {
    int index = m.index(value);
    assertThat(m.lowerBound(index)).isLessThanOrEqualTo(value);
    assertThat(m.lowerBound(index + 1)).isGreaterThan(value);
    double representative = m.value(index);
    assertThat(Math.abs(representative - value) / value).isLessThanOrEqualTo(m.relativeError() * (1 + 1e-12));
  }
}
