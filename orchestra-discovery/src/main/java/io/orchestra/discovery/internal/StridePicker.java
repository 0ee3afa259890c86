package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin with a stride scheduler: a shared sequence number walks the members
 * in order; in generation {@code g} member {@code i} is taken when its weight, accumulated over
 * the generations, crosses a multiple of the largest weight. Every member therefore gets exactly
 * its share over time, interleaved with the others, with one atomic increment per attempt and no
 * lock. The largest weight is taken in every generation, so a pick succeeds within {@code n}
 * attempts; weights are capped at ten times the mean so that the expected number of attempts per
 * pick stays at most ten.
 */
final class StridePicker implements Picker {
  static final int MAX_WEIGHT = 0xFFFF;
  private static final double MAX_RATIO = 10;

  private final InstanceState[] members;
  private final int[] weights;
  private final int[] offsets;
  private final AtomicLong sequence;
  private final boolean breakers;

  StridePicker(InstanceState[] members, double[] rawWeights, AtomicLong sequence, boolean breakers) {
    this.members = members;
    this.sequence = sequence;
    this.breakers = breakers;
    int n = members.length;
    this.weights = new int[n];
    this.offsets = new int[n];
    double sum = 0;
    for (double w : rawWeights) {
      sum += w;
    }
    double cap = n == 0 ? 0 : sum / n * MAX_RATIO;
    double max = 0;
    for (double w : rawWeights) {
      max = Math.max(max, Math.min(w, cap));
    }
    for (int i = 0; i < n; i++) {
      double w = max <= 0 ? 1 : Math.min(rawWeights[i], cap) / max;
      weights[i] = (int) Math.max(1, Math.round(w * MAX_WEIGHT));
      // Phase offsets keep equally weighted members from being chosen in bursts.
      offsets[i] = (int) ((long) MAX_WEIGHT / 2 * i % MAX_WEIGHT);
    }
  }

  @Override
  public InstanceState pick(ClientContext ctx) {
    int n = members.length;
    if (n == 0) {
      return null;
    }
    // n attempts always contain the heaviest member; 4n leaves room to skip unusable ones.
    for (int attempt = 4 * n + 16; attempt > 0; attempt--) {
      long seq = sequence.getAndIncrement() & Long.MAX_VALUE;
      int i = (int) (seq % n);
      long generation = seq / n;
      int w = weights[i];
      long mod = (w * (generation % MAX_WEIGHT) + offsets[i]) % MAX_WEIGHT;
      if (mod < MAX_WEIGHT - w) {
        continue;
      }
      InstanceState s = members[i];
      if (Picker.usable(s, ctx, breakers)) {
        return s;
      }
    }
    return Picker.scan(members, 0, ctx, breakers);
  }

  /** The scaled weight of member {@code i} (for tests). */
  int weight(int i) {
    return weights[i];
  }
}
