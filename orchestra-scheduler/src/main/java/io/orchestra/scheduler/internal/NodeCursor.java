package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.NodeView;
import io.orchestra.scheduler.ResourceKind;

/**
 * A {@link NodeView} that is repositioned on each node, so user plugins cost no allocation.
 *
 * <p>The node's description is read once, when the cursor moves: the scheduling pass runs without
 * the store's lock, and a node removed meanwhile has no description (null) in the table. Adapters
 * check {@link #info} and never hand a plugin a node without one; what the plugin sees of the
 * description stays the same for the whole call.
 */
final class NodeCursor implements NodeView {
  NodeTable table;
  int slot;
  /** The description of the node at {@link #slot} when the cursor moved there; null for a removed node. */
  NodeInfo info;

  NodeCursor at(int slot) {
    this.slot = slot;
    this.info = table.info[slot];
    return this;
  }

  @Override
  public NodeInfo info() {
    return info;
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
