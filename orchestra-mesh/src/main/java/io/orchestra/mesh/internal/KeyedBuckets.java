package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
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
  final TokenBucket.Config config;
  final Ticker ticker;
  final int maxKeys;
  private final int maxDestinations;
  final long sweepIntervalNanos;
  private final ConcurrentHashMap<String, BucketTable> tables = new ConcurrentHashMap<>();
  private final BucketTable overflowTable;
  /** Orders a table's creation (write) against grants from the overflow table (read). */
  private final StampedLock creation = new StampedLock();
  /** Grants of the overflow table, to any destination. */
  private final GrantMark sharedGrants = new GrantMark();
  /** How long an empty bucket takes to fill: {@code burst} permit intervals. */
  final long refillNanos;

  KeyedBuckets(TokenBucket.Config config, int maxKeys, Ticker ticker) {
    this(config, maxKeys, MAX_DESTINATIONS, ticker);
  }

  KeyedBuckets(TokenBucket.Config config, int maxKeys, int maxDestinations, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.maxKeys = maxKeys;
    this.maxDestinations = maxDestinations;
    this.sweepIntervalNanos = config.period().toNanos();
    this.overflowTable = new BucketTable(this, null, false);
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
   * Callers ask through {@link #tryAcquire(BucketTable[], int, String, String, long)}, which handles a
   * table that has become stale.
   */
  BucketTable table(String destination) {
    BucketTable t = tables.get(destination);
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
  boolean tryAcquire(BucketTable[] cache, int slot, String destination, String key, long nowNanos) {
    BucketTable t = cache[slot];
    if (!t.stale()) {
      return t.tryAcquire(key, nowNanos);
    }
    t = t == overflowTable && tables.size() >= maxDestinations ? overflowTable : table(destination);
    cache[slot] = t; // a racy cache: every value written is a table the map handed out
    return tryAcquireFrom(t, destination, key, nowNanos);
  }

  /** A permit from {@code t}, the table handed out for {@code destination}. */
  private boolean tryAcquireFrom(BucketTable t, String destination, String key, long nowNanos) {
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
      BucketTable own = tables.get(destination);
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
  boolean tryAcquireAfterDrop(BucketTable dropped, String key, long nowNanos) {
    BucketTable t = tables.get(dropped.destination);
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
  private BucketTable create(String destination) {
    long stamp = creation.writeLock();
    try {
      BucketTable t =
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
                return new BucketTable(this, d, recent);
              });
      return t != null ? t : overflowTable;
    } finally {
      creation.unlockWrite(stamp);
    }
  }

  /**
   * Removes {@code t} from the map if it is still there and {@link BucketTable#markDropped} succeeds,
   * in one step under the map's lock for its key: a caller that then asks for the destination's
   * table (a {@code compute}) waits for it, and never gets the dropped table.
   */
  boolean removeIfEmpty(BucketTable t) {
    boolean[] dropped = {false};
    tables.computeIfPresent(
        t.destination,
        (d, current) -> {
          if (current == t && t.markDropped()) {
            dropped[0] = true;
            return null;
          }
          return current;
        });
    return dropped[0];
  }

  /**
   * Drops the tables that were not asked for since the last call and carry no state; returns how
   * many went. Called once per idle period of the traffic manager's destinations (see {@link
   * Destinations}); a table asked for since the last call is only unmarked. O(tables), plus the
   * buckets of the idle ones.
   */
  int sweepIdleTables() {
    int dropped = 0;
    for (BucketTable t : tables.values()) {
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
    BucketTable t = tables.get(destination);
    return t == null ? 0 : t.buckets.size();
  }
}
