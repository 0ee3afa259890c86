package io.orchestra.discovery.internal;

import io.orchestra.discovery.Registration;
import io.orchestra.core.instance.ServiceInstance;
import java.time.Instant;

/** Instance states for picker tests: {@code m0..m(n-1)} of service {@code svc}, no breakers. */
final class TestMembers {
  private TestMembers() {}

  static InstanceState[] members(int n) {
    InstanceState[] out = new InstanceState[n];
    for (int i = 0; i < n; i++) {
      ServiceInstance inst = ServiceInstance.builder("m" + i, "svc").address("h" + i, 80).build();
      out[i] = new InstanceState(Registration.of(inst, Instant.EPOCH), null, null, a -> {}, 0);
    }
    return out;
  }
}
