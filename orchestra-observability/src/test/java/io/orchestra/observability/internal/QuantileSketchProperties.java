package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class QuantileSketchProperties {

  @Property(tries = 200)
  void everyQuantileIsWithinTheRelativeErrorOfTheExactOne(
      @ForAll @Size(min = 1, max = 400) List<@DoubleRange(min = -14, max = 20) Double> logValues,
      @ForAll @DoubleRange(min = 0, max = 1) double q) {
    double alpha = 0.01;
    QuantileSketch sketch = new QuantileSketch(new SketchMapping(alpha));
    double[] sorted = logValues.stream().mapToDouble(Math::exp).sorted().toArray();
    for (double v : sorted) {
      sketch.record(v);
    }
    double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
    assertThat(Math.abs(sketch.quantile(q) - exact) / exact).isLessThanOrEqualTo(alpha + 1e-9);
  }

  @Property(tries = 100)
  void bucketValueIsWithinErrorOfEveryValueMappedToIt(
      @ForAll @DoubleRange(min = -23, max = 39) double logValue,
      @ForAll @IntRange(min = 1, max = 50) int errorPercentTenths) {
    double value = Math.exp(logValue);
    double alpha = errorPercentTenths / 1000.0;
    SketchMapping m = new SketchMapping(alpha);
    double representative = m.value(m.index(value));
    assertThat(Math.abs(representative - value) / value).isLessThanOrEqualTo(alpha + 1e-9);
  }

  @Property(tries = 50)
  void encodeDecodeAndMergeKeepEveryCount(
      @ForAll @Size(max = 300) List<@DoubleRange(min = 0, max = 1e7) Double> a,
      @ForAll @Size(max = 300) List<@DoubleRange(min = 0, max = 1e7) Double> b) {
    SketchMapping m = new SketchMapping(0.01);
    QuantileSketch sa = new QuantileSketch(m);
    QuantileSketch sb = new QuantileSketch(m);
    QuantileSketch all = new QuantileSketch(m);
    a.forEach(v -> { sa.record(v); all.record(v); });
    b.forEach(v -> { sb.record(v); all.record(v); });
    QuantileSketch merged = new QuantileSketch(m);
    merged.mergeEncoded(sa.encode());
    merged.merge(sb);
    assertThat(merged.count()).isEqualTo(a.size() + b.size());
    for (double q : new double[] {0, 0.25, 0.5, 0.9, 0.99, 1}) {
      assertThat(Double.valueOf(merged.quantile(q))).isEqualTo(Double.valueOf(all.quantile(q)));
    }
  }
}
