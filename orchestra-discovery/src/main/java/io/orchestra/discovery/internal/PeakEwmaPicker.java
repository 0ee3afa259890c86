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
  private final double[] factors;
  private final RandomSource random;
  private static final double PENALTY = 1e18;
  private final boolean breakers;

  PeakEwmaPicker(
      InstanceState[] members, double[] factors, RandomSource random, boolean breakers) {
    this.members = members;
    this.factors = factors;
    this.random = random;
    this.breakers = breakers;
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
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
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
