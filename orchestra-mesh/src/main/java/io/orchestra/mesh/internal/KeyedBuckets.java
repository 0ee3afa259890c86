package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * The token buckets of one rate-limit policy: one table per destination, one bucket per key, at
 * most {@code maxKeys} buckets per table and {@code maxDestinations} tables.
 *
 * <p>When a table is full, buckets that have refilled completely are dropped (at most once per
 * period): a full bucket behaves exactly like a new one, so this loses no state. If the table is
 * still full, new keys share the table's overflow bucket, which is stricter than a bucket per key,
 * never looser. Lookups of tracked keys allocate nothing. Thread-safe.
 *
 * <p>Tables go too: once per idle period of the traffic manager's destinations ({@link
 * #sweepIdleTables}), a table not asked for since the last sweep loses its full buckets, and one
 * left with no bucket and a full overflow bucket is dropped, which again loses nothing. So the
 * {@code maxDestinations} bound fills only with destinations in use, and a new destination shares
 * the overflow table only while that many are. A dropped table is marked in the same atomic step
 * that removes it from the map; a caller still holding it (a destination's cached policy) finds
 * no bucket in it, cannot add one, and is sent on to the table now in the map, so one
 * destination's keys are never counted in two live tables. A holder of the overflow table asks
 * again on each request and moves to a table of its own when there is room; that table's buckets
 * start empty.
 */
final class KeyedBuckets {
  static final int MAX_DESTINATIONS = 1024;
  /** A table's size once it is dropped: no reservation can succeed from it. */
  private static final int DROPPED = Integer.MIN_VALUE;
  private static final VarHandle SIZE;
  private static final int RESERVED = 1;
  private static final int FULL = 0;
  private static final int GONE = -1;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(Table.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final TokenBucket.Config config;
  private final Ticker ticker;
  private final int maxKeys;
  private final int maxDestinations;
  private final long sweepIntervalNanos;
  private final ConcurrentHashMap<String, Table> tables = new ConcurrentHashMap<>();
  private final Table overflowTable;
  /** Orders a table's creation (write) against grants from the overflow table (read). */
  private final StampedLock creation = new StampedLock();
  /** Grants of the overflow table, to any destination. */
  private final GrantMark sharedGrants = new GrantMark();
  /** How long an empty bucket takes to fill: {@code burst} permit intervals. */
  private final long refillNanos;

  KeyedBuckets(TokenBucket.Config config, int maxKeys, Ticker ticker) {
    this(config, maxKeys, MAX_DESTINATIONS, ticker);
  }

  KeyedBuckets(TokenBucket.Config config, int maxKeys, int maxDestinations, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.maxKeys = maxKeys;
    this.maxDestinations = maxDestinations;
    this.sweepIntervalNanos = config.period().toNanos();
    this.overflowTable = new Table(null, false);
    long periodNanos = config.period().toNanos();
    long interval = Math.max(1, -Math.floorDiv(-periodNanos, config.permitsPerPeriod()));
    this.refillNanos = interval * config.burst(); // Config bounds this to about 146 years
  }

  TokenBucket.Config config() {
    return config;
  }

  int maxKeys() {
    return maxKeys;
  }

  /**
   * The buckets of {@code destination} (the shared overflow table past {@code maxDestinations}).
   * Callers ask through {@link #tryAcquire(Table[], int, String, String, long)}, which handles a
   * table that has become stale.
   */
  Table table(String destination) {
    Table t = tables.get(destination);
    if (t != null) {
      return t;
    }
    return tables.size() >= maxDestinations ? overflowTable : create(destination);
  }

  /**
   * Takes a permit for {@code key} at {@code destination} through {@code cache[slot]}, a table
   * the caller keeps (a destination's policy), first replacing it when it is stale: dropped, or
   * the overflow table, which is asked again each time so that the destination moves to a table
   * of its own once there is room.
   */
  boolean tryAcquire(Table[] cache, int slot, String destination, String key, long nowNanos) {
    Table t = cache[slot];
    if (!t.stale()) {
      return t.tryAcquire(key, nowNanos);
    }
    t = t == overflowTable && tables.size() >= maxDestinations ? overflowTable : table(destination);
    cache[slot] = t; // a racy cache: every value written is a table the map handed out
    return tryAcquireFrom(t, destination, key, nowNanos);
  }

  /** A permit from {@code t}, the table handed out for {@code destination}. */
  private boolean tryAcquireFrom(Table t, String destination, String key, long nowNanos) {
    return t == overflowTable ? tryAcquireShared(destination, key, nowNanos) : t.tryAcquire(key, nowNanos);
  }

  /**
   * A permit from the overflow table for a destination without a table, exclusive of any table's
   * creation: either the destination's table exists by now and is asked instead, or the new table
   * will see that the overflow table was just used and start with empty buckets. So a destination
   * that moves from the shared buckets to its own never gets more than its own would have given.
   */
  private boolean tryAcquireShared(String destination, String key, long nowNanos) {
    long stamp = creation.readLock();
    try {
      Table own = tables.get(destination);
      if (own != null) {
        return own.tryAcquire(key, nowNanos);
      }
      boolean granted = overflowTable.tryAcquire(key, nowNanos);
      if (granted) {
        sharedGrants.note(ticker.read()); // not earlier than any reading the grant was made at
      }
      return granted;
    } finally {
      creation.unlockRead(stamp);
    }
  }

  /** A permit from the table that now stands for the destination of {@code dropped}. */
  private boolean tryAcquireAfterDrop(Table dropped, String key, long nowNanos) {
    Table t = tables.get(dropped.destination);
    if (t == null || t == dropped) {
      t = create(dropped.destination); // waits for the drop's compute to finish
    }
    return tryAcquireFrom(t, dropped.destination, key, nowNanos);
  }

  /**
   * Creates the table of {@code destination} (or finds the one made meanwhile), or hands out the
   * overflow table when there is no room. The {@code compute} waits for a drop in progress under
   * the same key (a drop marks and removes its table under that key's lock), so it never returns
   * a dropped table. The write lock orders the creation against grants from the overflow table.
   */
  private Table create(String destination) {
    long stamp = creation.writeLock();
    try {
      Table t =
          tables.compute(
              destination,
              (d, current) -> {
                if (current != null) {
                  return current;
                }
                if (tables.size() >= maxDestinations) {
                  return null;
                }
                // A bucket of the overflow table granted within a refill may still be short of
                // full, perhaps from this destination's requests: its buckets then start empty.
                boolean recent = sharedGrants.within(ticker.read(), refillNanos);
                return new Table(d, recent);
              });
      return t != null ? t : overflowTable;
    } finally {
      creation.unlockWrite(stamp);
    }
  }

  /**
   * Drops the tables that were not asked for since the last call and carry no state; returns how
   * many went. Called once per idle period of the traffic manager's destinations (see {@link
   * Destinations}); a table asked for since the last call is only unmarked. O(tables), plus the
   * buckets of the idle ones.
   */
  int sweepIdleTables() {
    int dropped = 0;
    for (Table t : tables.values()) {
      if (t.touched) {
        t.touched = false;
      } else if (t.dropIfStateless()) {
        dropped++;
      }
    }
    return dropped;
  }

  /** Tables tracked (for tests and diagnostics). */
  int trackedDestinations() {
    return tables.size();
  }

  /** Buckets tracked for {@code destination} (for tests and diagnostics). */
  int trackedKeys(String destination) {
    Table t = tables.get(destination);
    return t == null ? 0 : t.buckets.size();
  }

  /** The buckets of one destination. */
  final class Table {
    /** Null for the shared overflow table, which is never dropped. */
    final String destination;
    final ConcurrentHashMap<String, Keyed> buckets = new ConcurrentHashMap<>();
    final TokenBucket overflow = TokenBucket.of(config, ticker);
    /** Reserved slots, never above maxKeys; {@link #DROPPED} once the table is dropped. */
    private volatile int size;
    final AtomicLong nextSweep = new AtomicLong(ticker.read());
    /** Set by requests, cleared by each table sweep: a table found clear is idle. */
    volatile boolean touched = true;
    /**
     * Whether buckets made within a refill time of the table's creation start empty: the
     * destination left the overflow table, whose buckets it may have spent, that recently.
     */
    private final boolean inheritsSharedGrants;
    private final long createdAt;
    /** Grants of this table's overflow bucket, for the same reason one level down. */
    private final GrantMark overflowGrants = new GrantMark();
    /** Orders a bucket's creation (write) against grants from the overflow bucket (read). */
    private final StampedLock creation = new StampedLock();
    /**
     * The tracked key asked for last: most requests of a caller come with the same key (its
     * identity), and comparing a reference is cheaper than hashing into the map. Written only
     * when it changes; an entry a sweep dropped is marked, and a marked entry is never used.
     */
    private volatile Keyed last;

    Table(String destination, boolean inheritsSharedGrants) {
      this.destination = destination;
      this.inheritsSharedGrants = inheritsSharedGrants;
      this.createdAt = ticker.read();
      if (inheritsSharedGrants) {
        overflow.tryAcquire(config.burst(), createdAt); // like every bucket it starts with
      }
    }

    /** Whether a holder should look its destination's table up again: dropped, or the shared overflow table. */
    boolean stale() {
      return destination == null || size == DROPPED;
    }

    /**
     * Takes a permit for {@code key}. A sweep drops a bucket only by taking its whole burst first
     * (see {@link #sweep}), so a caller that looked the bucket up just before gets a refusal from
     * it; that caller then asks whatever now stands for the key, which behaves exactly like the
     * dropped bucket did (in the instant between the drain and the removal it is refused:
     * stricter, never looser).
     */
    boolean tryAcquire(String key) {
      return tryAcquire(key, ticker.read());
    }

    /**
     * Like {@link #tryAcquire(String)} with a reading of the ticker the caller already took (the
     * request's start): a reading taken a little earlier can only make a bucket stricter. A bucket
     * created here starts full at its own, later, reading, so it is asked at a fresh one (else a
     * burst of 1 would refuse its very first request).
     */
    boolean tryAcquire(String key, long nowNanos) {
      if (!touched) {
        touched = true; // written once per period, so the line is not made dirty per request
      }
      TokenBucket b = tracked(key);
      if (b != null) {
        if (b.tryAcquire(1, nowNanos)) {
          return true;
        }
        if (tracked(key) == b) {
          return false;
        }
        // A sweep dropped it after the lookup (taking its whole burst): ask what stands for the key now.
      }
      return tryAcquireUntracked(key);
    }

    /**
     * A permit for a key without a tracked bucket: from a new bucket, from the overflow bucket
     * (exclusive of any bucket's creation, as the overflow table is of any table's), or, once this
     * table was dropped, from the table that now stands for the destination. A new bucket starts
     * full at its own reading, so it is asked at a fresh one.
     */
    private boolean tryAcquireUntracked(String key) {
      TokenBucket b = bucket(key);
      long now = ticker.read(); // after the bucket's creation
      if (b == null) {
        return tryAcquireAfterDrop(this, key, now);
      }
      if (b != overflow) {
        return b.tryAcquire(1, now);
      }
      long stamp = creation.readLock();
      try {
        TokenBucket own = tracked(key);
        if (own != null) {
          return own.tryAcquire(1, now); // made meanwhile: it saw no grant of ours
        }
        boolean granted = overflow.tryAcquire(1, now);
        if (granted) {
          overflowGrants.note(ticker.read());
        }
        return granted;
      } finally {
        creation.unlockRead(stamp);
      }
    }

    /** Nanoseconds until {@code key} could have a permit (a hint for a refused caller). */
    long nanosUntilPermit(String key) {
      TokenBucket b = bucket(key);
      return b != null ? b.nanosUntilPermit() : refillNanos / config.burst(); // dropped: one interval
    }

    /** The bucket tracked for {@code key}, or null. */
    private TokenBucket tracked(String key) {
      Keyed seen = last;
      if (seen != null && seen.key.equals(key) && !seen.dropped) {
        return seen.bucket;
      }
      Keyed k = buckets.get(key);
      if (k == null) {
        return null;
      }
      if (k != seen) {
        last = k;
      }
      return k.bucket;
    }

    /** The bucket of {@code key}, created if needed; the overflow bucket when full; null once this table was dropped. */
    TokenBucket bucket(String key) {
      TokenBucket b = tracked(key);
      if (b != null) {
        return b;
      }
      int reserved = reserve();
      if (reserved == FULL) {
        return overflow;
      }
      if (reserved == GONE) {
        return null;
      }
      Keyed fresh = new Keyed(key, TokenBucket.of(config, ticker));
      Keyed prior;
      long stamp = creation.writeLock();
      try {
        long now = ticker.read();
        if ((inheritsSharedGrants && now - createdAt < refillNanos) || overflowGrants.within(now, refillNanos)) {
          // The key may have been served by a shared bucket until now: start empty, never looser.
          fresh.bucket.tryAcquire(config.burst(), now); // before anyone can see it
        }
        prior = buckets.putIfAbsent(key, fresh);
      } finally {
        creation.unlockWrite(stamp);
      }
      if (prior != null) {
        SIZE.getAndAdd(this, -1); // another thread added the key first
        return prior.bucket;
      }
      return fresh.bucket;
    }

    /** Reserves a slot for a new key, sweeping once if the table is full: {@code RESERVED}, {@code FULL} or {@code GONE}. */
    private int reserve() {
      while (true) {
        int s = size;
        if (s == DROPPED) {
          return GONE;
        }
        if (s >= maxKeys) {
          if (!sweep()) {
            return FULL;
          }
        } else if (SIZE.compareAndSet(this, s, s + 1)) {
          return RESERVED;
        }
      }
    }

    /** Drops full buckets (at most once per period); returns whether any was dropped. */
    private boolean sweep() {
      long now = ticker.read();
      long due = nextSweep.get();
      if (now - due < 0 || !nextSweep.compareAndSet(due, now + sweepIntervalNanos)) {
        return false;
      }
      return dropFullBuckets(false) > 0;
    }

    /** Drops this table's full buckets; stops at the first that is not full when {@code stopAtState}. */
    private int dropFullBuckets(boolean stopAtState) {
      int dropped = 0;
      for (Map.Entry<String, Keyed> e : buckets.entrySet()) {
        // Taking the whole burst is the atomic "still full?" check: a caller that holds the
        // bucket and acquires first makes this fail; one that acquires later is refused and
        // retries on the key's new bucket.
        Keyed k = e.getValue();
        if (!k.bucket.tryAcquire(config.burst())) {
          if (stopAtState) {
            break;
          }
        } else if (buckets.remove(e.getKey(), k)) {
          // Marked after the drain: whoever still finds it in `last` either sees the mark or
          // is refused by the drained bucket and looks the key up again.
          k.dropped = true;
          SIZE.getAndAdd(this, -1);
          dropped++;
        }
      }
      return dropped;
    }

    /**
     * Drops this table when nothing in it carries state: its full buckets go first; then, with no
     * key left (size 0 also means no key is being added) and the overflow bucket full (drained
     * like a bucket, so a holder of it is refused, never looser), the size is set to {@link
     * #DROPPED} and the table leaves the map in one step under the map's lock for its key. A
     * holder then finds no bucket in it, cannot reserve one, and moves on to the map's table.
     */
    boolean dropIfStateless() {
      dropFullBuckets(true);
      if (size != 0 || !overflow.tryAcquire(config.burst())) {
        return false;
      }
      boolean[] dropped = {false};
      tables.computeIfPresent(
          destination,
          (d, current) -> {
            if (current == this && SIZE.compareAndSet(this, 0, DROPPED)) {
              dropped[0] = true;
              return null;
            }
            return current;
          });
      return dropped[0];
    }
  }

  /** A tracked key and its bucket; {@code dropped} once a sweep removed it from its table. */
  static final class Keyed {
    final String key;
    final TokenBucket bucket;
    volatile boolean dropped;

    Keyed(String key, TokenBucket bucket) {
      this.key = key;
      this.bucket = bucket;
    }
  }
}
