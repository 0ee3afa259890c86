package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin from a precomputed schedule: for integer weights {@code w_i}
 * (reduced by their greatest common divisor) the schedule lists member {@code i} exactly {@code
 * w_i} times in one period of {@code sum(w_i)} slots, its slots evenly spaced (at {@code (k +
 * phase_i) / w_i} of the period) and merged with everyone else's. A pick is one atomic increment
 * of the shared sequence and one array read, whatever the weights: every member gets exactly its
 * share in each full period, even with many picking threads (each slot is taken once), and heavy
 * members are interleaved with the others (1:2:7 never gives runs of 7).
 *
 * <p>Built only when the period fits {@link #maxPeriod(int)} slots; otherwise (and for the
 * fractional weights of slow start) the {@link StridePicker} is used. An unusable member hands
 * its slot to the next usable slot of the schedule.
 */
final class WeightedSchedulePicker implements Picker {
  /** Golden-ratio phases: members of equal weight take turns instead of coming in bursts. */
  private static final double GOLDEN = 0.6180339887498949;
  /** Fixed-point bits for a slot's position in the period; the low bits hold the member index. */
  private static final int INDEX_BITS = 21;

  private final InstanceState[] members;
  private final int[] schedule;
  private final AtomicLong sequence;
  private final boolean breakers;

  private WeightedSchedulePicker(
      InstanceState[] members, int[] schedule, AtomicLong sequence, boolean breakers) {
    this.members = members;
    this.schedule = schedule;
    this.sequence = sequence;
    this.breakers = breakers;
  }

  /**
   * A picker giving member {@code i} the share {@code weights[i] / sum(weights)}, or null when the
   * schedule would be longer than {@link #maxPeriod(int)} (or a weight is not positive).
   */
  static WeightedSchedulePicker of(
      InstanceState[] members, long[] weights, AtomicLong sequence, boolean breakers) {
    int[] schedule = schedule(weights);
    return schedule == null ? null : new WeightedSchedulePicker(members, schedule, sequence, breakers);
  }

  /** The longest schedule built for {@code n} members: 64 slots a member, within [4,096, 2^20]. */
  static int maxPeriod(int n) {
    return (int) Math.max(4096, Math.min(1 << 20, 64L * n));
  }

  /** Member indices in pick order over one period, or null when it does not fit. */
  static int[] schedule(long[] weights) {
    int n = weights.length;
    if (n >= 1 << INDEX_BITS) {
      return null;
    }
    long gcd = 0;
    for (long w : weights) {
      if (w <= 0) {
        return null;
      }
      gcd = gcd(gcd, w);
    }
    long limit = maxPeriod(n);
    long period = 0;
    for (long w : weights) {
      period += w / Math.max(1, gcd);
      if (period > limit) {
        return null;
      }
    }
    // Slot k of member i sits at (k + phase_i) / w_i of the period; sorting all slots by position
    // (ties by index) merges the members' evenly spaced slots into one smooth order. Positions in
    // [0, 1) are kept as 42-bit fixed point with the index below them; rounding can only swap two
    // slots that are within 2^-42 of each other, and never changes how many slots a member has.
    long[] keys = new long[(int) period];
    int next = 0;
    double scale = 0x1p42;
    for (int i = 0; i < n; i++) {
      long w = weights[i] / gcd;
      double phase = 0.5 + GOLDEN * i;
      phase -= Math.floor(phase);
      for (long k = 0; k < w; k++) {
        long position = (long) ((k + phase) / w * scale);
        keys[next++] = position << INDEX_BITS | i;
      }
    }
    Arrays.sort(keys);
    int[] schedule = new int[keys.length];
    int mask = (1 << INDEX_BITS) - 1;
    for (int s = 0; s < keys.length; s++) {
      schedule[s] = (int) (keys[s] & mask);
    }
    return schedule;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public InstanceState pick(ClientContext ctx) {
    int[] order = schedule;
    int period = order.length;
    if (period == 0) {
      return null;
    }
    int slot = (int) ((sequence.getAndIncrement() & Long.MAX_VALUE) % period);
    InstanceState s = members[order[slot]];
    if (Picker.usable(s, ctx, breakers)) {
      return s;
    }
    return skip(order, slot, ctx);
  }

  /** The slow path: the next usable slot after {@code slot}, then any usable member at all. */
  private InstanceState skip(int[] order, int slot, ClientContext ctx) {
    int period = order.length;
    int tries = Math.min(period - 1, 4 * members.length + 16);
    for (int k = 1; k <= tries; k++) {
      int at = slot + k;
      InstanceState s = members[order[at >= period ? at - period : at]];
      if (Picker.usable(s, ctx, breakers)) {
        return s;
      }
    }
    return Picker.scan(members, order[slot], ctx, breakers);
  }

  /** The schedule's length (for tests). */
  int period() {
    return schedule.length;
  }
}
