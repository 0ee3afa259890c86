package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.concurrent.atomic.AtomicLong;

/** Each member in turn: one atomic increment per pick. Skips unusable members. */
final class RoundRobinPicker implements Picker {
  private final InstanceState[] members;
  private final AtomicLong next;
  private final boolean breakers;

  RoundRobinPicker(InstanceState[] members, AtomicLong next, boolean breakers) {
    this.members = members;
    this.next = next;
    this.breakers = breakers;
  }

  @Override
  public InstanceState pick(ClientContext ctx) {
    int n = members.length;
    if (n == 0) {
      return null;
    }
    int i = (int) Long.remainderUnsigned(next.getAndIncrement(), n);
    InstanceState s = members[i];
    if (Picker.usable(s, ctx, breakers)) {
      return s;
    }
    return Picker.scan(members, i + 1, ctx, breakers);
  }
}
