package io.orchestra.scheduler.internal;

/**
 * Per-request counts of one {@link WorkloadTerm}: how many counted placements each topology
 * domain holds, the total, and (for spread) the minimum and maximum over eligible domains.
 * Domains are value ids of the topology key's column. Epoch stamps make resetting free.
 *
 * <p>Scratch memory of one scheduling thread; never shared.
 */
final class TermState {
  private int[] count = new int[64];
  private int[] stamp = new int[64];
  private int[] eligibleStamp = new int[64];
  private int[] eligible = new int[16];
  private int eligibleCount;
  private int epoch;
  /** The topology column (value id per slot), or null when no node has the key. */
  int[] column;
  /**
   * When non-null, the counts are read straight from a group's maintained array (one group over
   * the node or zone key) instead of being aggregated per request.
   */
  private int[] direct;
  /** Whether {@link #direct} is indexed by slot (node key) rather than by domain value id. */
  private boolean bySlot;
  int total;
  int min;
  int max;
  boolean anyEligible;

  void reset(int[] column, int domains) {
    this.column = column;
    this.direct = null;
    this.bySlot = false;
    if (count.length < domains) {
      grow(domains);
    }
    if (++epoch == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamp, 0);
      java.util.Arrays.fill(eligibleStamp, 0);
      epoch = 1;
    }
    eligibleCount = 0;
    total = 0;
    min = 0;
    max = 0;
    anyEligible = false;
  }

  /** Scratch: the count of each candidate's domain, -1 without a domain (spread scores). */
  int[] candidateCounts = new int[64];

  /**
   * Writes the count of each of the first {@code n} candidates' domain into {@link
   * #candidateCounts} (-1 for nodes without the key) and returns {@code {min, max}} over those
   * with a domain packed as {@code min << 32 | max}, or -1 when none has one.
   */
  long fillCandidateCounts(int[] slots, int n) {
    if (candidateCounts.length < n) {
      candidateCounts = new int[Math.max(n, candidateCounts.length * 2)];
    }
    int[] out = candidateCounts;
    int lo = Integer.MAX_VALUE;
    int hi = -1;
    int[] dir = direct;
    int[] col = column;
    if (dir != null && bySlot) {
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        int c = s < dir.length ? dir[s] : 0;
        out[i] = c;
        lo = c < lo ? c : lo;
        hi = c > hi ? c : hi;
      }
    } else if (dir != null && col != null) {
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        int d = s < col.length ? col[s] : -1;
        int c = d < 0 ? -1 : d < dir.length ? dir[d] : 0;
        out[i] = c;
        if (c >= 0) {
          lo = c < lo ? c : lo;
          hi = c > hi ? c : hi;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        int d = domain(slots[i]);
        int c = d < 0 ? -1 : count(d);
        out[i] = c;
        if (c >= 0) {
          lo = c < lo ? c : lo;
          hi = c > hi ? c : hi;
        }
      }
    }
    return hi < 0 ? -1 : ((long) lo << 32) | hi;
  }

  /**
   * Keeps, among the first {@code n} slots, those that have a domain holding at most {@code
   * limit} counted workloads; returns how many remain (in order). The hard spread filter's loop,
   * with the count lookup specialised once per request instead of decided per node.
   */
  int keepWithin(int[] slots, int n, int limit) {
    int[] dir = direct;
    int[] col = column;
    int k = 0;
    if (dir != null && bySlot) {
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        if ((s < dir.length ? dir[s] : 0) <= limit) {
          slots[k++] = s;
        }
      }
    } else if (col == null) {
      return 0; // no node has the key
    } else if (dir != null) {
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        int d = s < col.length ? col[s] : -1;
        if (d >= 0 && (d < dir.length ? dir[d] : 0) <= limit) {
          slots[k++] = s;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        int s = slots[i];
        int d = s < col.length ? col[s] : -1;
        if (d >= 0 && count(d) <= limit) {
          slots[k++] = s;
        }
      }
    }
    return k;
  }

  /** The per-slot counts when they are read straight from one group (node key), else null. */
  int[] directBySlot() {
    return bySlot ? direct : null;
  }

  /** Reads counts from {@code counts} (indexed by slot when {@code bySlot}, else by domain). */
  void useDirect(int[] counts, boolean bySlot, int total) {
    this.direct = counts;
    this.bySlot = bySlot;
    this.total = total;
  }

  /** The domain of {@code slot}, or -1 when the node lacks the topology key. */
  int domain(int slot) {
    if (bySlot) {
      return slot; // every node has the node key
    }
    int[] col = column;
    return col == null || slot >= col.length ? -1 : col[slot];
  }

  /** The count of domain {@code d} ({@code d >= 0}). */
  int count(int d) {
    int[] dir = direct;
    if (dir != null) {
      return d < dir.length ? dir[d] : 0;
    }
    return d < stamp.length && stamp[d] == epoch ? count[d] : 0;
  }

  /** The count in the domain of {@code slot}, 0 when the node has no domain. */
  int countAt(int slot) {
    int d = domain(slot);
    return d < 0 ? 0 : count(d);
  }

  void add(int d, int c) {
    if (d >= stamp.length) {
      grow(d + 1); // a value interned after the request read the symbol count
    }
    if (stamp[d] != epoch) {
      stamp[d] = epoch;
      count[d] = c;
    } else {
      count[d] += c;
    }
  }

  /** Marks domain {@code d} as eligible for spreading (first time only). */
  void markEligible(int d) {
    if (d >= eligibleStamp.length) {
      grow(d + 1);
    }
    if (eligibleStamp[d] != epoch) {
      eligibleStamp[d] = epoch;
      if (eligibleCount == eligible.length) {
        eligible = java.util.Arrays.copyOf(eligible, eligibleCount * 2);
      }
      eligible[eligibleCount++] = d;
    }
  }

  /** The domains marked eligible so far, as a new array (to be cached). */
  int[] eligibleDomains() {
    return java.util.Arrays.copyOf(eligible, eligibleCount);
  }

  /** Sets {@link #min} and {@link #max} over the eligible domains (0 when there are none). */
  void computeMinMax() {
    computeMinMax(eligible, eligibleCount);
  }

  /** Sets {@link #min} and {@link #max} over the first {@code count} of {@code domains}. */
  void computeMinMax(int[] domains, int count) {
    anyEligible = count > 0;
    if (!anyEligible) {
      min = 0;
      max = 0;
      return;
    }
    int lo = Integer.MAX_VALUE;
    int hi = 0;
    for (int i = 0; i < count; i++) {
      int c = count(domains[i]);
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
    min = lo;
    max = hi;
  }

  private void grow(int needed) {
    int cap = Math.max(needed, count.length * 2);
    count = java.util.Arrays.copyOf(count, cap);
    stamp = java.util.Arrays.copyOf(stamp, cap);
    eligibleStamp = java.util.Arrays.copyOf(eligibleStamp, cap);
  }
}
