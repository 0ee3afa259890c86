package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * The token buckets of one destination under one rate-limit policy ({@link KeyedBuckets} holds
 * the tables and their bounds): one bucket per key, at most {@code maxKeys}, then an overflow
 * bucket that the later keys share. Thread-safe.
 */
final class BucketTable {
  /** The size once the table is dropped: no reservation can succeed from it. */
  private static final int DROPPED = Integer.MIN_VALUE;
  private static final int RESERVED = 1;
  private static final int FULL = 0;
  private static final int GONE = -1;
  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(BucketTable.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeyedBuckets owner;
  /** Null for the shared overflow table, which is never dropped. */
  final String destination;
  final ConcurrentHashMap<String, Keyed> buckets = new ConcurrentHashMap<>();
  final TokenBucket overflow;
  /** Reserved slots, never above the owner's maxKeys; {@link #DROPPED} once the table is dropped. */
  private volatile int size;
  final AtomicLong nextSweep;
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

  BucketTable(KeyedBuckets owner, String destination, boolean inheritsSharedGrants) {
    this.owner = owner;
    this.destination = destination;
    this.inheritsSharedGrants = inheritsSharedGrants;
    this.overflow = TokenBucket.of(owner.config, owner.ticker);
    this.createdAt = owner.ticker.read();
    this.nextSweep = new AtomicLong(createdAt);
    if (inheritsSharedGrants) {
      overflow.tryAcquire(owner.config.burst(), createdAt); // like every bucket it starts with
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
    return tryAcquire(key, owner.ticker.read());
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
    long now = owner.ticker.read(); // after the bucket's creation
    if (b == null) {
      return owner.tryAcquireAfterDrop(this, key, now);
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
        overflowGrants.note(owner.ticker.read());
      }
      return granted;
    } finally {
      creation.unlockRead(stamp);
    }
  }

  /** Nanoseconds until {@code key} could have a permit (a hint for a refused caller). */
  long nanosUntilPermit(String key) {
    TokenBucket b = bucket(key);
    return b != null ? b.nanosUntilPermit() : owner.refillNanos / owner.config.burst(); // dropped: one interval
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
    Keyed fresh = new Keyed(key, TokenBucket.of(owner.config, owner.ticker));
    Keyed prior;
    long stamp = creation.writeLock();
    try {
      long now = owner.ticker.read();
      if ((inheritsSharedGrants && now - createdAt < owner.refillNanos) || overflowGrants.within(now, owner.refillNanos)) {
        // The key may have been served by a shared bucket until now: start empty, never looser.
        fresh.bucket.tryAcquire(owner.config.burst(), now); // before anyone can see it
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
      if (s >= owner.maxKeys) {
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
    long now = owner.ticker.read();
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + owner.sweepIntervalNanos)) {
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
      if (!k.bucket.tryAcquire(owner.config.burst())) {
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
    if (size != 0 || !overflow.tryAcquire(owner.config.burst())) {
      return false;
    }
    return owner.removeIfEmpty(this);
  }

  /** Marks this table dropped if it has no key and none is being added; see {@link KeyedBuckets#removeIfEmpty}. */
  boolean markDropped() {
    return SIZE.compareAndSet(this, 0, DROPPED);
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
