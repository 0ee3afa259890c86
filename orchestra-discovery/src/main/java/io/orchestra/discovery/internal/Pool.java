package io.orchestra.discovery.internal;

import io.orchestra.core.instance.ServiceInstance;
import java.util.List;

/**
 * A set of eligible instances (a whole service, or its part in one zone or region) with the
 * picker built over them. Immutable.
 */
final class Pool {
  final InstanceState[] members;
  final List<ServiceInstance> view;
  final Picker picker;
  /** Whether this locality pool is healthy enough to take the caller's traffic on its own. */
  final boolean preferable;

  Pool(InstanceState[] members, Picker picker, boolean preferable) {
    this.members = members;
    ServiceInstance[] instances = new ServiceInstance[members.length];
    for (int i = 0; i < members.length; i++) {
      instances[i] = members[i].instance;
    }
    this.view = List.of(instances);
    this.picker = picker;
    this.preferable = preferable;
  }
}
