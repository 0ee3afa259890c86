package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.LabelRequirement;
import io.orchestra.scheduler.NodeSelectorTerm;
import java.util.List;

/**
 * A node affinity term (or node selector) with label keys and values replaced by interned ids, so
 * that matching a node is a few array reads. Immutable.
 */
final class CompiledNodeTerm {
  private static final byte IN = 0;
  private static final byte NOT_IN = 1;
  private static final byte EXISTS = 2;
  private static final byte DOES_NOT_EXIST = 3;
  private static final byte GT = 4;
  private static final byte LT = 5;

  private final int[] keys;
  private final byte[] ops;
  private final int[][] values;
  private final long[] operands;
  private final String[] parts;
  final String description;

  private CompiledNodeTerm(
      int[] keys, byte[] ops, int[][] values, long[] operands, String[] parts, String description) {
    this.keys = keys;
    this.ops = ops;
    this.values = values;
    this.operands = operands;
    this.parts = parts;
    this.description = description;
  }

  /** The text of requirement {@code i}. */
  String part(int i) {
    return parts[i];
  }

  static CompiledNodeTerm compile(NodeSelectorTerm term, Symbols symbols) {
    List<LabelRequirement> reqs = term.requirements();
    int k = reqs.size();
    int[] keys = new int[k];
    byte[] ops = new byte[k];
    int[][] values = new int[k][];
    long[] operands = new long[k];
    String[] parts = new String[k];
    for (int i = 0; i < k; i++) {
      LabelRequirement r = reqs.get(i);
      parts[i] = r.toString();
      keys[i] = symbols.keyId(r.key());
      ops[i] = (byte) r.operator().ordinal();
      if (r.operator() == LabelRequirement.Operator.GT || r.operator() == LabelRequirement.Operator.LT) {
        operands[i] = Long.parseLong(r.values().get(0).trim());
        values[i] = new int[0];
      } else {
        values[i] = ids(r.values(), symbols);
      }
    }
    return new CompiledNodeTerm(keys, ops, values, operands, parts, term.toString());
  }

  /** A node selector as a term of {@code In} requirements. */
  static CompiledNodeTerm selector(java.util.Map<String, String> selector, Symbols symbols) {
    int k = selector.size();
    int[] keys = new int[k];
    byte[] ops = new byte[k];
    int[][] values = new int[k][];
    String[] parts = new String[k];
    int i = 0;
    for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(selector).entrySet()) {
      keys[i] = symbols.keyId(e.getKey());
      ops[i] = IN;
      int v = symbols.valueId(e.getValue());
      values[i] = v < 0 ? new int[0] : new int[] {v};
      parts[i] = e.getKey() + "=" + e.getValue();
      i++;
    }
    return new CompiledNodeTerm(keys, ops, values, new long[k], parts, String.join(",", parts));
  }

  private static int[] ids(List<String> names, Symbols symbols) {
    int[] out = new int[names.size()];
    int n = 0;
    for (String s : names) {
      int id = symbols.valueId(s);
      if (id >= 0) {
        out[n++] = id; // unknown values cannot be on any node
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  boolean matches(NodeTable table, Symbols symbols, int slot) {
    for (int i = 0; i < keys.length; i++) {
      if (!holds(i, table.value(keys[i], slot), symbols)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Keeps, among the first {@code n} slots, those the term matches; returns how many remain (in
   * order). An {@code In} requirement with one value (every node selector pair) compares the
   * label column with the value id directly, the column read once per call instead of per node.
   */
  int keepMatching(NodeTable table, Symbols symbols, int[] slots, int n) {
    int k = n;
    for (int i = 0; i < keys.length && k > 0; i++) {
      if (ops[i] == IN && values[i].length <= 1) {
        int[] col = table.column(keys[i]);
        if (col == null || values[i].length == 0) {
          return 0; // no node has the key, or no node has the value
        }
        int v = values[i][0];
        int kept = 0;
        for (int j = 0; j < k; j++) {
          int s = slots[j];
          if (s < col.length && col[s] == v) {
            slots[kept++] = s;
          }
        }
        k = kept;
      } else {
        int kept = 0;
        for (int j = 0; j < k; j++) {
          int s = slots[j];
          if (holds(i, table.value(keys[i], s), symbols)) {
            slots[kept++] = s;
          }
        }
        k = kept;
      }
    }
    return k;
  }

  /** Index of the first requirement that fails on {@code slot}, or -1. */
  int firstFailure(NodeTable table, Symbols symbols, int slot) {
    for (int i = 0; i < keys.length; i++) {
      if (!holds(i, table.value(keys[i], slot), symbols)) {
        return i;
      }
    }
    return -1;
  }

  private boolean holds(int i, int v, Symbols symbols) {
    switch (ops[i]) {
      case IN:
        return v >= 0 && contains(values[i], v);
      case NOT_IN:
        return v < 0 || !contains(values[i], v);
      case EXISTS:
        return v >= 0;
      case DOES_NOT_EXIST:
        return v < 0;
      case GT:
        return symbols.isNumeric(v) && symbols.numeric(v) > operands[i];
      case LT:
        return symbols.isNumeric(v) && symbols.numeric(v) < operands[i];
      default:
        throw new AssertionError(ops[i]);
    }
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
