package io.orchestra.observability.internal;

import io.orchestra.observability.metrics.Rollup;

/**
 * One window of one level of one series: count, sum, min, max, last and, for distributions, a
 * sketch that is open (mutable) while the window is the newest and sealed (varint-packed) after.
 * Not thread-safe: the owning series guards it.
 */
final class RollupWindow {
  long start;
  long count;
  double sum;
  double min;
  double max;
  double last;
  QuantileSketch open;
  byte[] sealed;

  RollupWindow(long start) {
    reset(start);
  }

  void reset(long newStart) {
    start = newStart;
    count = 0;
    sum = 0;
    min = Double.NaN;
    max = Double.NaN;
    last = Double.NaN;
    open = null;
    sealed = null;
  }

  void add(double value, SketchMapping mapping) {
    add(value, 1, mapping);
  }

  /** {@code n} observations of {@code value} (one sampled record standing for {@code n}). */
  void add(double value, long n, SketchMapping mapping) {
    addStats(n, value * n, value, value, value);
    if (mapping != null) {
      openSketch(mapping).record(value, n);
    }
  }

  void addBatch(long n, double batchSum, double batchMin, double batchMax, double batchLast, QuantileSketch sketch) {
    addStats(n, batchSum, batchMin, batchMax, batchLast);
    if (sketch != null && !sketch.isEmpty()) {
      openSketch(sketch.mapping()).merge(sketch);
    }
  }

  private void addStats(long n, double s, double lo, double hi, double latest) {
    if (n <= 0) {
      return;
    }
    count += n;
    sum += s;
    min = Double.isNaN(min) ? lo : Math.min(min, lo);
    max = Double.isNaN(max) ? hi : Math.max(max, hi);
    last = latest;
  }

  private QuantileSketch openSketch(SketchMapping mapping) {
    if (open == null) {
      open = new QuantileSketch(mapping);
      if (sealed != null) {
        open.mergeEncoded(sealed);
        sealed = null;
      }
    }
    return open;
  }

  void seal() {
    if (open != null) {
      sealed = open.isEmpty() ? null : open.encode();
      open = null;
    }
  }

  /** Adds this window's distribution into {@code target}. */
  void mergeSketchInto(QuantileSketch target) {
    if (open != null) {
      target.merge(open);
    } else if (sealed != null) {
      target.mergeEncoded(sealed);
    }
  }

  boolean hasSketch() {
    return open != null || sealed != null;
  }

  Rollup toRollup(long levelMillis, SketchMapping mapping) {
    double p50 = Double.NaN;
    double p90 = Double.NaN;
    double p95 = Double.NaN;
    double p99 = Double.NaN;
    if (hasSketch()) {
      QuantileSketch s = new QuantileSketch(mapping);
      mergeSketchInto(s);
      p50 = s.quantile(0.5);
      p90 = s.quantile(0.9);
      p95 = s.quantile(0.95);
      p99 = s.quantile(0.99);
    }
    return new Rollup(levelMillis, start, count, sum, min, max, last, p50, p90, p95, p99);
  }
}
