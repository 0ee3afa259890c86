package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.Ticker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token buckets of one rate-limit policy: one table per destination, one bucket per key, at
 * most {@code maxKeys} buckets per table and {@link #MAX_DESTINATIONS} tables.
 *
 * <p>When a table is full, buckets that have refilled completely are dropped (at most once per
 * period): a full bucket behaves exactly like a new one, so this loses no state. If the table is
 * still full, new keys share the table's overflow bucket, which is stricter than a bucket per key,
 * never looser. Lookups of tracked keys allocate nothing. Thread-safe.
 */
final class KeyedBuckets {
  static final int MAX_DESTINATIONS = 1024;

  private final TokenBucket.Config config;
  private final Ticker ticker;
  private final int maxKeys;
  private final long sweepIntervalNanos;
  private final ConcurrentHashMap<String, Table> tables = new ConcurrentHashMap<>();
  private final Table overflowTable;

  KeyedBuckets(TokenBucket.Config config, int maxKeys, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.maxKeys = maxKeys;
    this.sweepIntervalNanos = config.period().toNanos();
    this.overflowTable = new Table();
  }

  TokenBucket.Config config() {
    return config;
  }

  int maxKeys() {
    return maxKeys;
  }

  /** The buckets of {@code destination} (a shared overflow table past {@link #MAX_DESTINATIONS}). */
  Table table(String destination) {
    Table t = tables.get(destination);
    if (t == null) {
      if (tables.size() >= MAX_DESTINATIONS) {
        t = overflowTable;
      } else {
        t = tables.computeIfAbsent(destination, d -> new Table());
      }
    }
    return t;
  }

  /** Buckets tracked for {@code destination} (for tests and diagnostics). */
  int trackedKeys(String destination) {
    Table t = tables.get(destination);
    return t == null ? 0 : t.buckets.size();
  }

  /** The buckets of one destination. */
  final class Table {
    final ConcurrentHashMap<String, Keyed> buckets = new ConcurrentHashMap<>();
    final TokenBucket overflow = TokenBucket.of(config, ticker);
    final AtomicInteger size = new AtomicInteger(); // reserved slots: never above maxKeys
    final AtomicLong nextSweep = new AtomicLong(ticker.read());
    /**
     * The tracked key asked for last: most requests of a caller come with the same key (its
     * identity), and comparing a reference is cheaper than hashing into the map. Written only
     * when it changes; an entry a sweep dropped is marked, and a marked entry is never used.
     */
    private volatile Keyed last;

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
      TokenBucket b = tracked(key);
      long now = nowNanos;
      if (b == null) {
        b = bucket(key);
        now = ticker.read();
      }
      if (b.tryAcquire(1, now)) {
        return true;
      }
      return b != overflow && tracked(key) != b && bucket(key).tryAcquire();
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

    TokenBucket bucket(String key) {
      TokenBucket b = tracked(key);
      if (b != null) {
        return b;
      }
      if (!reserve()) {
        return overflow;
      }
      Keyed fresh = new Keyed(key, TokenBucket.of(config, ticker));
      Keyed prior = buckets.putIfAbsent(key, fresh);
      if (prior != null) {
        size.decrementAndGet(); // another thread added the key first
        return prior.bucket;
      }
      return fresh.bucket;
    }

    /** Reserves a slot for a new key, sweeping once if the table is full. */
    private boolean reserve() {
      while (true) {
        int s = size.get();
        if (s >= maxKeys) {
          if (!sweep()) {
            return false;
          }
        } else if (size.compareAndSet(s, s + 1)) {
          return true;
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
      int dropped = 0;
      for (Map.Entry<String, Keyed> e : buckets.entrySet()) {
        // Taking the whole burst is the atomic "still full?" check: a caller that holds the
        // bucket and acquires first makes this fail; one that acquires later is refused and
        // retries on the key's new bucket.
        Keyed k = e.getValue();
        if (k.bucket.tryAcquire(config.burst()) && buckets.remove(e.getKey(), k)) {
          // Marked after the drain: whoever still finds it in `last` either sees the mark or
          // is refused by the drained bucket and looks the key up again.
          k.dropped = true;
          size.decrementAndGet();
          dropped++;
        }
      }
      return dropped > 0;
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
