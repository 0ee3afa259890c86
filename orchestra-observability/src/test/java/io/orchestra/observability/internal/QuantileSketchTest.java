package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantileSketchTest {

  @ParameterizedTest(name = "relative error {0}")
  @ValueSource(doubles = {0.005, 0.01, 0.02, 0.05})
  void lognormalLatenciesStayWithinTheBoundAtP50P95P99(double alpha) {
    Random random = new Random(42);
    double[] values = new double[100_000];
    QuantileSketch sketch = new QuantileSketch(new SketchMapping(alpha));
    ConcurrentSketch live = new ConcurrentSketch(sketch.mapping());
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(3 + random.nextGaussian()); // ms, median ~20
      sketch.record(values[i]);
      live.record(values[i]);
    }
    QuantileSketch drained = new QuantileSketch(sketch.mapping());
    assertThat(live.drainInto(drained)).isEqualTo(values.length);
    Arrays.sort(values);
    for (double q : new double[] {0.5, 0.95, 0.99, 0.999}) {
      double exact = values[(int) Math.floor(q * (values.length - 1))];
      assertThat(Math.abs(sketch.quantile(q) - exact) / exact).as("q=%s", q).isLessThanOrEqualTo(alpha + 1e-9);
      assertThat(drained.quantile(q)).isEqualTo(sketch.quantile(q));
    }
  }

  @Test
  void valuesAtAndBeyondTheIndexableRangeLandInTheZeroOrTheLastBucket() {
    SketchMapping m = new SketchMapping(0.01);
    double[] zeros = {Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Math.nextDown(SketchMapping.MIN_VALUE), Double.MIN_VALUE};
    double[] clamped = {SketchMapping.MAX_VALUE, Math.nextUp(SketchMapping.MAX_VALUE), Double.POSITIVE_INFINITY};
    QuantileSketch s = new QuantileSketch(m);
    ConcurrentSketch live = new ConcurrentSketch(m);
    for (double v : zeros) {
      s.record(v);
      live.record(v);
    }
    s.record(SketchMapping.MIN_VALUE);
    live.record(SketchMapping.MIN_VALUE);
    for (double v : clamped) {
      s.record(v);
      live.record(v);
    }
    QuantileSketch drained = new QuantileSketch(m);
    live.drainInto(drained);
    for (QuantileSketch sketch : new QuantileSketch[] {s, drained}) {
      assertThat(sketch.count()).isEqualTo(9);
      assertThat(sketch.quantile(4.0 / 8)).isZero(); // ranks 0..4 are the five zeros
      assertThat(sketch.quantile(5.0 / 8)).isCloseTo(SketchMapping.MIN_VALUE, org.assertj.core.data.Percentage.withPercentage(1));
      assertThat(sketch.quantile(1)).isCloseTo(SketchMapping.MAX_VALUE, org.assertj.core.data.Percentage.withPercentage(1));
      assertThat(sketch.quantile(6.0 / 8)).isEqualTo(sketch.quantile(1));
    }
  }

  @Test
  void zerosAndNegativesLandInTheZeroBucket() {
    QuantileSketch s = new QuantileSketch(new SketchMapping(0.01));
    s.record(0);
    s.record(-5);
    s.record(10);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.quantile(0)).isZero();
    assertThat(s.quantile(1)).isCloseTo(10, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(new QuantileSketch(new SketchMapping(0.01)).quantile(0.5)).isNaN();
  }
}
