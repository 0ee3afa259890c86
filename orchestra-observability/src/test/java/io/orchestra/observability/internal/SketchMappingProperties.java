package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
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
    double gamma = (1 + alpha) / (1 - alpha);
    for (int octave : new int[] {-40, -1, 0, 1, 20, 61}) {
      for (int b = m.index(Math.scalb(1.0, octave)); b < m.index(Math.scalb(1.0, octave + 1)); b++) {
        double lo = m.lowerBound(b);
        double hi = m.lowerBound(b + 1);
        assertThat(hi / lo).as("bucket %s", b).isLessThanOrEqualTo(gamma * (1 + 1e-15));
        assertWithinBound(m, lo);
        assertWithinBound(m, Math.nextDown(hi));
        assertThat(m.index(lo)).isEqualTo(b);
        assertThat(m.index(Math.nextDown(lo))).isEqualTo(b - 1);
        assertThat(m.index(hi)).isEqualTo(b + 1);
      }
    }
  }

  @ParameterizedTest(name = "relative error {0}")
  @ValueSource(doubles = {0.0001, 0.001, 0.005, 0.01, 0.02, 0.1})
  void anOctaveHoldsOneOverLnGammaBuckets(double alpha) {
    // the seed's piecewise-linear log2: memory per sketch is what it was before the bit mapping
    SketchMapping m = new SketchMapping(alpha);
    double perOctave = 1 / Math.log((1 + alpha) / (1 - alpha));
    for (int octave : new int[] {-40, 0, 30, 61}) {
      int buckets = m.index(Math.scalb(1.0, octave + 1)) - m.index(Math.scalb(1.0, octave));
      assertThat((double) buckets).isBetween(perOctave - 1, perOctave + 1.01);
    }
  }

  @Test
  void indexIsZeroAtOneAndTheRangeEndsAreIndexed() {
    SketchMapping m = new SketchMapping(0.01);
    assertThat(m.index(1.0)).isZero();
    assertThat(m.minIndex()).isEqualTo(m.index(SketchMapping.MIN_VALUE)).isNegative();
    assertThat(m.maxIndex()).isEqualTo(m.index(SketchMapping.MAX_VALUE)).isPositive();
    assertWithinBound(m, SketchMapping.MIN_VALUE);
    assertWithinBound(m, SketchMapping.MAX_VALUE);
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
