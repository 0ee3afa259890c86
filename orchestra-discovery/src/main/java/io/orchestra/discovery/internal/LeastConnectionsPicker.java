package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usable member with the fewest outstanding calls, divided by its slow-start factor; ties go
 * to the first one found from a rotating start so that idle members share traffic in turn. O(n).
 */
final class LeastConnectionsPicker implements Picker {
  private final InstanceState[] members;
  private final double[] factors;
  private final AtomicLong start;
  private final boolean breakers;

  LeastConnectionsPicker(InstanceState[] members, double[] factors, AtomicLong start, boolean breakers) {
    this.members = members;
    this.factors = factors;
    this.start = start;
    this.breakers = breakers;
  }

  @Override
  public InstanceState pick(ClientContext ctx) {
    int n = members.length;
    if (n == 0) {
      return null;
    }
    int first = (int) Long.remainderUnsigned(start.getAndIncrement(), n);
    InstanceState best = null;
    double bestLoad = Double.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      int i = first + k;
      if (i >= n) {
        i -= n;
      }
      InstanceState s = members[i];
      double load = (s.outstanding + 1) / factors[i];
      if (load < bestLoad && Picker.usable(s, ctx, breakers)) {
        best = s;
        bestLoad = load;
      }
    }
    return best;
  }
}
