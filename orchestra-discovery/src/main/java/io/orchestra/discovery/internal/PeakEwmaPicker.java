package io.orchestra.discovery.internal;

import io.orchestra.core.time.RandomSource;
import io.orchestra.discovery.ClientContext;

/**
 * Power of two choices: two distinct members at random, the one with the lower cost wins, where
 * cost = peak-EWMA latency x (outstanding calls + 1) / slow-start factor. An instance without a
 * latency sample costs nothing while idle (so it gets probed at once) and a large penalty while
 * its probe is outstanding (so it is not flooded before the first answer arrives).
 */
final class PeakEwmaPicker implements Picker {
  private final InstanceState[] members;
  private static final double PENALTY = 1e18;
  private static final long LOW32 = 0xFFFF_FFFFL;

  private final double[] factors;
  private final RandomSource random;
  private final boolean breakers;
  /**
   * For drawing both members from one 64-bit random value by multiply-and-shift (Lemire): a
   * 32-bit draw whose low product is below {@code 2^32 mod bound} is rejected, so every index is
   * exactly equally likely. Precomputed, so a pick divides nothing.
   */
  private final long rejectFirst;
  private final long rejectSecond;

  PeakEwmaPicker(
      InstanceState[] members, double[] factors, RandomSource random, boolean breakers) {
    this.members = members;
    this.factors = factors;
    this.random = random;
    this.breakers = breakers;
    int n = members.length;
    this.rejectFirst = n < 1 ? 0 : (1L << 32) % n;
    this.rejectSecond = n < 2 ? 0 : (1L << 32) % (n - 1);
  }

  @Override
  public InstanceState pick(ClientContext ctx) {
    int n = members.length;
    if (n == 0) {
      return null;
    }
    if (n == 1) {
      InstanceState s = members[0];
      return Picker.usable(s, ctx, breakers) ? s : null;
    }
    for (int attempt = 0; attempt < 4; attempt++) {
      // Two uniform draws from one random value: a in [0, n), b in [0, n - 1), b moved past a.
      long r = random.nextLong();
      long x = (r >>> 32) * n;
      long y = (r & LOW32) * (n - 1);
      int a;
      int b;
      if ((x & LOW32) >= rejectFirst && (y & LOW32) >= rejectSecond) {
        a = (int) (x >>> 32);
        b = (int) (y >>> 32);
      } else { // rejected (probability below 2n / 2^32): the source's own bounded draws
        a = random.nextInt(n);
        b = random.nextInt(n - 1);
      }
      if (b >= a) {
        b++;
      }
      int first = cost(a) <= cost(b) ? a : b;
      int second = first == a ? b : a;
      if (Picker.usable(members[first], ctx, breakers)) {
        return members[first];
      }
      if (Picker.usable(members[second], ctx, breakers)) {
        return members[second];
      }
    }
    return Picker.scan(members, random.nextInt(n), ctx, breakers);
  }

  private double cost(int i) {
    InstanceState s = members[i];
    double latency = s.peakEwma;
    int outstanding = s.outstanding;
    if (latency <= 0) {
      return outstanding == 0 ? 0 : PENALTY + outstanding;
    }
    return latency * (outstanding + 1) / factors[i];
  }
}
