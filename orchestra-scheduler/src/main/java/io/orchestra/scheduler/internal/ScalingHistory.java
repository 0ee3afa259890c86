package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.ScalingPolicy;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What one workload's autoscaler remembers: recent recommendations (for stabilization windows)
 * and recent replica changes (for rate policies), on ticker time. Old entries are dropped.
 *
 * <p>Not thread-safe: the autoscaler guards each workload's history with the workload's lock.
 */
public final class ScalingHistory {
  private record Entry(long nanos, int value) {}

  private final ArrayDeque<Entry> recommendations = new ArrayDeque<>();
  private final ArrayDeque<Entry> changes = new ArrayDeque<>();

  /**
   * Kubernetes' stabilization: the result moves from {@code current} towards {@code
   * recommendation}, but not above the lowest recommendation of the scale-up window nor below the
   * highest of the scale-down window. Then records {@code recommendation}.
   */
  public int stabilize(int recommendation, int current, long now, long upWindowNanos, long downWindowNanos) {
    long keep = Math.max(upWindowNanos, downWindowNanos);
    while (!recommendations.isEmpty() && now - recommendations.peekFirst().nanos >= keep) {
      recommendations.pollFirst();
    }
    int up = recommendation;
    int down = recommendation;
    for (Entry e : recommendations) {
      long age = now - e.nanos;
      if (age < upWindowNanos) {
        up = Math.min(up, e.value);
      }
      if (age < downWindowNanos) {
        down = Math.max(down, e.value);
      }
    }
    int result = current;
    if (result < up) {
      result = up;
    }
    if (result > down) {
      result = down;
    }
    recommendations.addLast(new Entry(now, recommendation));
    return result;
  }

  /** Records a change of the replica count (positive: added). */
  public void recordChange(long now, int delta) {
    if (delta != 0) {
      changes.addLast(new Entry(now, delta));
    }
  }

  /** Replicas added (or, with {@code up == false}, removed) within each policy's period. */
  public int[] changedWithin(List<ScalingPolicy> policies, long now, boolean up) {
    int[] out = new int[policies.size()];
    for (int i = 0; i < out.length; i++) {
      long period = policies.get(i).period().toNanos();
      int sum = 0;
      for (Entry e : changes) {
        if (now - e.nanos < period && (up ? e.value > 0 : e.value < 0)) {
          sum += Math.abs(e.value);
        }
      }
      out[i] = sum;
    }
    return out;
  }

  /** Forgets changes older than {@code keepNanos} (the longest policy period of both directions). */
  public void forgetChangesOlderThan(long now, long keepNanos) {
    while (!changes.isEmpty() && now - changes.peekFirst().nanos >= keepNanos) {
      changes.pollFirst();
    }
  }
}
