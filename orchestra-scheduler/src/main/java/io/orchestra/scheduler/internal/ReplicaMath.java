package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.ScalingPolicy;
import io.orchestra.scheduler.SelectPolicy;
import java.util.List;

/**
 * The horizontal-autoscaler arithmetic, as pure functions: replicas per metric with a tolerance
 * band, and the rate limits of scaling policies. Not instantiable.
 */
public final class ReplicaMath {
  /** Guards ceil() against products like 4 * 1.5000000000000002. */
  private static final double EPSILON = 1e-9;

  private ReplicaMath() {}

  /**
   * Replicas one metric asks for: {@code ceil(current * value / target)}, or {@code current} when
   * the ratio is within {@code tolerance} of 1.
   *
   * @param value the per-replica average of the metric
   * @param target the per-replica target, positive
   */
  public static int replicasFor(int current, double value, double target, double tolerance) {
    double ratio = value / target;
    if (Math.abs(ratio - 1) <= tolerance) {
      return current;
    }
    double desired = Math.ceil(current * ratio - EPSILON);
    return desired >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, desired);
  }

  /**
   * The highest replica count the scale-up policies allow now.
   *
   * @param added replicas added within each policy's period, in policy order
   */
  public static int scaleUpLimit(List<ScalingPolicy> policies, SelectPolicy select, int current, int[] added) {
    if (select == SelectPolicy.DISABLED) {
      return current;
    }
    long best = select == SelectPolicy.MAX ? Long.MIN_VALUE : Long.MAX_VALUE;
    for (int i = 0; i < policies.size(); i++) {
      ScalingPolicy p = policies.get(i);
      long start = Math.max(0, current - added[i]);
      long limit =
          p.type() == ScalingPolicy.Type.PODS
              ? start + p.value()
              : (long) Math.ceil(start * (1 + p.value() / 100.0) - EPSILON);
      best = select == SelectPolicy.MAX ? Math.max(best, limit) : Math.min(best, limit);
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(current, best));
  }

  /**
   * The lowest replica count the scale-down policies allow now.
   *
   * @param removed replicas removed within each policy's period, in policy order
   */
  public static int scaleDownLimit(List<ScalingPolicy> policies, SelectPolicy select, int current, int[] removed) {
    if (select == SelectPolicy.DISABLED) {
      return current;
    }
    long best = select == SelectPolicy.MAX ? Long.MAX_VALUE : Long.MIN_VALUE;
    for (int i = 0; i < policies.size(); i++) {
      ScalingPolicy p = policies.get(i);
      long start = (long) current + removed[i];
      long limit =
          p.type() == ScalingPolicy.Type.PODS
              ? start - p.value()
              : (long) Math.floor(start * (1 - p.value() / 100.0) + EPSILON);
      // MAX means the policy allowing the largest change, which is the lowest floor.
      best = select == SelectPolicy.MAX ? Math.min(best, limit) : Math.max(best, limit);
    }
    return (int) Math.min(current, Math.max(0, best));
  }
}
