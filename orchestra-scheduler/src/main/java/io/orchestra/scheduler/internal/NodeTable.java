package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.NodeInfo;
import java.util.Arrays;

/**
 * Every node of a cluster state as parallel arrays indexed by slot, so the filter and score loops
 * stream over primitive arrays without touching node objects.
 *
 * <p>Written only under the owning {@link StateStore}'s lock. Scheduling threads read it without
 * the lock: they may see a slightly stale mix of values, which only affects the choice of node;
 * the choice is validated under the lock before it is committed. Growth replaces the table (and
 * the {@link NodeInventory} publishes the new one through a volatile field); everything else is
 * updated in place.
 */
final class NodeTable {
  static final int[] NO_TAINTS = new int[0];

  final int capacity;
  final NodeInfo[] info;
  final boolean[] schedulable;
  final double[] allocCpu;
  final double[] allocMem;
  final double[] allocSto;
  final double[] allocNet;
  /** 1 / allocatable, or 0 when nothing is allocatable: scores multiply instead of dividing. */
  final double[] invCpu;
  final double[] invMem;
  final double[] invSto;
  final double[] invNet;
  /** Bit r set when resource r (cpu, memory, storage, network) has a capacity above zero. */
  final byte[] resourceMask;
  final double[] usedCpu;
  final double[] usedMem;
  final double[] usedSto;
  final double[] usedNet;
  final double[] healthScore;
  final int[][] taints;
  /** Whether the node has any taint: lets the taint filter skip untainted nodes cheaply. */
  final boolean[] tainted;
  final int[] podCount;
  /** Per key id, the value id of that label on each node, or -1; a null column is all -1. */
  volatile int[][] columns;
  /** One past the highest slot ever used. */
  volatile int size;
  /** Nodes whose health score is below 1; while there are none the health score is constant. */
  volatile int imperfectHealth;

  NodeTable(int capacity, int keyCapacity) {
    this.capacity = capacity;
    info = new NodeInfo[capacity];
    schedulable = new boolean[capacity];
    allocCpu = new double[capacity];
    allocMem = new double[capacity];
    allocSto = new double[capacity];
    allocNet = new double[capacity];
    invCpu = new double[capacity];
    invMem = new double[capacity];
    invSto = new double[capacity];
    invNet = new double[capacity];
    resourceMask = new byte[capacity];
    usedCpu = new double[capacity];
    usedMem = new double[capacity];
    usedSto = new double[capacity];
    usedNet = new double[capacity];
    healthScore = new double[capacity];
    taints = new int[capacity][];
    tainted = new boolean[capacity];
    Arrays.fill(taints, NO_TAINTS);
    podCount = new int[capacity];
    columns = new int[Math.max(2, keyCapacity)][];
  }

  /** A copy with room for {@code newCapacity} slots (or the same size, for a deep copy). */
  NodeTable copy(int newCapacity) {
    NodeTable t = new NodeTable(newCapacity, columns.length);
    int n = size;
    System.arraycopy(info, 0, t.info, 0, n);
    System.arraycopy(schedulable, 0, t.schedulable, 0, n);
    System.arraycopy(allocCpu, 0, t.allocCpu, 0, n);
    System.arraycopy(allocMem, 0, t.allocMem, 0, n);
    System.arraycopy(allocSto, 0, t.allocSto, 0, n);
    System.arraycopy(allocNet, 0, t.allocNet, 0, n);
    System.arraycopy(invCpu, 0, t.invCpu, 0, n);
    System.arraycopy(invMem, 0, t.invMem, 0, n);
    System.arraycopy(invSto, 0, t.invSto, 0, n);
    System.arraycopy(invNet, 0, t.invNet, 0, n);
    System.arraycopy(resourceMask, 0, t.resourceMask, 0, n);
    t.imperfectHealth = imperfectHealth;
    System.arraycopy(usedCpu, 0, t.usedCpu, 0, n);
    System.arraycopy(usedMem, 0, t.usedMem, 0, n);
    System.arraycopy(usedSto, 0, t.usedSto, 0, n);
    System.arraycopy(usedNet, 0, t.usedNet, 0, n);
    System.arraycopy(healthScore, 0, t.healthScore, 0, n);
    System.arraycopy(taints, 0, t.taints, 0, n);
    System.arraycopy(tainted, 0, t.tainted, 0, n);
    System.arraycopy(podCount, 0, t.podCount, 0, n);
    int[][] cols = columns;
    int[][] newCols = new int[cols.length][];
    for (int k = 0; k < cols.length; k++) {
      if (cols[k] != null) {
        newCols[k] = Arrays.copyOf(cols[k], newCapacity);
        if (newCapacity > cols[k].length) {
          Arrays.fill(newCols[k], cols[k].length, newCapacity, -1);
        }
      }
    }
    t.columns = newCols;
    t.size = n;
    return t;
  }

  /** The column of key {@code keyId} as a reader sees it, or null when no node has the key. */
  int[] column(int keyId) {
    int[][] cols = columns;
    return keyId >= 0 && keyId < cols.length ? cols[keyId] : null;
  }

  /** The value id of key {@code keyId} on node {@code slot}, or -1. */
  int value(int keyId, int slot) {
    int[] col = column(keyId);
    return col == null || slot >= col.length ? -1 : col[slot];
  }

  /** Sets a label value; creates the column when needed. Under the lock. */
  void setValue(int keyId, int slot, int valueId) {
    int[][] cols = columns;
    if (keyId >= cols.length) {
      cols = Arrays.copyOf(cols, Math.max(keyId + 1, cols.length * 2));
      columns = cols;
    }
    int[] col = cols[keyId];
    if (col == null) {
      if (valueId < 0) {
        return;
      }
      col = new int[capacity];
      Arrays.fill(col, -1);
      cols[keyId] = col;
    }
    col[slot] = valueId;
  }

  /** Clears every label of {@code slot}. Under the lock. */
  void clearValues(int slot) {
    for (int[] col : columns) {
      if (col != null) {
        col[slot] = -1;
      }
    }
  }
}
