package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maglev consistent hashing: a lookup table of prime size {@code M >= 100 n} (65,537 up to 655
 * members) in which every
 * member fills slots along its own permutation, in proportion to its weight. A key maps to
 * {@code table[hash mod M]}, so a pick is one array read; when a member leaves, only the keys it
 * held (and few others) move. An unusable member hands its key to the next usable slot. Calls
 * without a hash key go round robin.
 */
final class MaglevPicker implements Picker {
  private final InstanceState[] members;
  private final int[] table;
  private final AtomicLong roundRobin;
  private final boolean breakers;

  MaglevPicker(InstanceState[] members, double[] weights, AtomicLong roundRobin, boolean breakers) {
    this.members = members;
    this.roundRobin = roundRobin;
    this.breakers = breakers;
    int n = members.length;
    if (n == 0) {
      this.table = new int[0];
      return;
    }
    int m = tableSize(n);
    int[] table = new int[m];
    java.util.Arrays.fill(table, -1);
    // Member i fills the slots offset, offset + skip, offset + 2 skip ... (mod m); skip is coprime
    // to the prime m, so the walk visits every slot. Positions advance by addition, not modulo.
    int[] position = new int[n];
    int[] skip = new int[n];
    long[] count = new long[n];
    double max = 0;
    for (double w : weights) {
      max = Math.max(max, w);
    }
    double[] normalized = new double[n];
    for (int i = 0; i < n; i++) {
      String id = members[i].id;
      position[i] = (int) Long.remainderUnsigned(Hashing.hash(id, 0x5bd1e995L), m);
      skip[i] = (int) Long.remainderUnsigned(Hashing.hash(id, 0x27d4eb2fL), m - 1) + 1;
      normalized[i] = max <= 0 ? 1 : Math.max(weights[i] / max, 1e-6);
    }
    int filled = 0;
    for (long iteration = 1; filled < m; iteration++) {
      for (int i = 0; i < n && filled < m; i++) {
        if (normalized[i] * iteration < count[i]) {
          continue; // a lighter member waits for its turn
        }
        int c = position[i];
        while (table[c] >= 0) {
          c += skip[i];
          if (c >= m) {
            c -= m;
          }
        }
        table[c] = i;
        c += skip[i];
        position[i] = c >= m ? c - m : c;
        count[i]++;
        filled++;
      }
    }
    this.table = table;
  }

  /**
   * A prime at least 100 times the member count, from a fixed ladder: the size must not change
   * when one member joins or leaves, or every key would move.
   */
  static int tableSize(int n) {
    if (n <= 655) {
      return SMALL;
    }
    return n <= 6553 ? MEDIUM : LARGE;
  }

  private static final int SMALL = 65537;
  private static final int MEDIUM = Hashing.nextPrime(655_360);
  private static final int LARGE = Hashing.nextPrime(5_000_000);

  @Override
  public InstanceState pick(ClientContext ctx) {
    int n = members.length;
    if (n == 0) {
      return null;
    }
    long key = ctx.keyHash();
    if (key == 0) {
      int i = (int) Long.remainderUnsigned(roundRobin.getAndIncrement(), n);
      InstanceState s = members[i];
      return Picker.usable(s, ctx, breakers) ? s : Picker.scan(members, i + 1, ctx, breakers);
    }
    int m = table.length;
    int slot = (int) Long.remainderUnsigned(key, m);
    InstanceState s = members[table[slot]];
    if (Picker.usable(s, ctx, breakers)) {
      return s;
    }
    // Walk the table: the next slots belong to members in a key-dependent order.
    for (int k = 1; k < m; k++) {
      InstanceState t = members[table[(slot + k) % m]];
      if (t != s && Picker.usable(t, ctx, breakers)) {
        return t;
      }
    }
    return null;
  }

  /** How many slots member {@code i} owns (for tests). */
  int slots(int i) {
    int c = 0;
    for (int t : table) {
      if (t == i) {
        c++;
      }
    }
    return c;
  }
}
