package io.orchestra.mesh.internal;

import java.util.concurrent.atomic.AtomicInteger;

/** The instances a route may use (all of a service's, or one subset's) and their round-robin cursor. */
final class Group {
  static final Group EMPTY = new Group(new InstanceState[0]);

  final InstanceState[] members;
  final AtomicInteger cursor = new AtomicInteger();

  Group(InstanceState[] members) {
    this.members = members;
  }

  boolean isEmpty() {
    return members.length == 0;
  }
}
