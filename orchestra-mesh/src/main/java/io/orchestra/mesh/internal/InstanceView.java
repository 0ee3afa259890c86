package io.orchestra.mesh.internal;

import io.orchestra.core.instance.ServiceInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * A destination's instances as of one instance list and one compiled policy: all of them and each
 * subset, as groups of {@link InstanceState}. Rebuilt only when the list's contents or the policy
 * change. Immutable apart from the remembered source list.
 */
final class InstanceView {
  final CompiledService service;
  final Group all;
  private final Group[] subsets;
  /** The list this view was built from (or an equal one seen since), for a cheap identity check. */
  volatile List<ServiceInstance> source;

  InstanceView(List<ServiceInstance> source, CompiledService service, InstanceState[] states) {
    this.source = source;
    this.service = service;
    this.all = new Group(states);
    this.subsets = new Group[service.subsetNames.length];
    for (int s = 0; s < subsets.length; s++) {
      List<InstanceState> members = new ArrayList<>();
      for (InstanceState st : states) {
        if (service.inSubset(s, st.instance)) {
          members.add(st);
        }
      }
      subsets[s] = members.isEmpty() ? Group.EMPTY : new Group(members.toArray(new InstanceState[0]));
    }
  }

  /** The group of subset {@code index}, or all instances for -1. */
  Group group(int index) {
    return index < 0 ? all : subsets[index];
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  /** Whether {@code list} holds the same instances, in order, as this view. */
  boolean sameInstances(List<ServiceInstance> list) {
    InstanceState[] m = all.members;
    if (list.size() != m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      ServiceInstance a = list.get(i);
      ServiceInstance b = m[i].instance;
      if (a != b && !a.equals(b)) {
        return false;
      }
    }
    return true;
  }
}
