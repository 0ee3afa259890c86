package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeView;
import io.orchestra.scheduler.ResourceKind;

/** A {@link NodeView} that is repositioned on each node, so user plugins cost no allocation. */
final class NodeCursor implements NodeView {
  NodeTable table;
  int slot;

  NodeCursor at(int slot) {
    this.slot = slot;
    return this;
  }

  @Override
  public NodeInfo info() {
    return table.info[slot];
  }

  @Override
  public double allocatable(ResourceKind kind) {
    switch (kind) {
      case CPU:
        return table.allocCpu[slot];
      case MEMORY:
        return table.allocMem[slot];
      case STORAGE:
        return table.allocSto[slot];
      default:
        return table.allocNet[slot];
    }
  }

  @Override
  public double used(ResourceKind kind) {
    switch (kind) {
      case CPU:
        return table.usedCpu[slot];
      case MEMORY:
        return table.usedMem[slot];
      case STORAGE:
        return table.usedSto[slot];
      default:
        return table.usedNet[slot];
    }
  }

  @Override
  public int placementCount() {
    return table.podCount[slot];
  }
}
