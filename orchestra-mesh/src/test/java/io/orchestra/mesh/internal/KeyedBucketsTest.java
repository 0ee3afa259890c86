package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Dropping idle bucket tables: what goes, what stays, and what a holder of a dropped table sees. */
class KeyedBucketsTest {
  /** Two permits a second, a burst of two. */
  private static final TokenBucket.Config LIMIT =
      TokenBucket.Config.builder().permitsPerPeriod(2).period(Duration.ofSeconds(1)).burst(2).build();

  private final VirtualTime time = new VirtualTime();

  private KeyedBuckets buckets(int maxDestinations) {
    return new KeyedBuckets(LIMIT, 8, maxDestinations, time);
  }

  /** A request as the rate limiter makes it: through a table cached like a destination's policy does. */
  private static boolean acquire(KeyedBuckets kb, BucketTable[] cache, int slot, String destination, String key, long now) {
    if (cache[slot] == null) {
      cache[slot] = kb.table(destination);
    }
    return kb.tryAcquire(cache, slot, destination, key, now);
  }

  @Test
  void anIdleTable_whoseBucketsRefilled_isDropped_afterASweepFoundItUntouched() {
    KeyedBuckets kb = buckets(4);
    assertThat(kb.table("a").tryAcquire("k")).isTrue();
    time.advance(Duration.ofSeconds(5));
    assertThat(kb.sweepIdleTables()).as("asked for since the last sweep: only unmarked").isZero();
    assertThat(kb.sweepIdleTables()).isEqualTo(1);
    assertThat(kb.trackedDestinations()).isZero();
  }

  @Test
  void anIdleTable_withABucketStillRefilling_isKept_andOnlyItsFullBucketsGo() {
    KeyedBuckets kb = buckets(4);
    BucketTable a = kb.table("a");
    assertThat(a.tryAcquire("early")).isTrue();
    time.advance(Duration.ofSeconds(5));
    assertThat(a.tryAcquire("late")).isTrue(); // half its burst left
    kb.sweepIdleTables();
    assertThat(kb.sweepIdleTables()).isZero();
    assertThat(kb.trackedDestinations()).isEqualTo(1);
    assertThat(a.stale()).isFalse();
    assertThat(a.tryAcquire("late")).isTrue();
    assertThat(a.tryAcquire("late")).as("its state was kept").isFalse();
  }

  @Test
  void aTableAskedForBetweenSweeps_isKept() {
    KeyedBuckets kb = buckets(4);
    BucketTable a = kb.table("a");
    for (int i = 0; i < 3; i++) {
      time.advance(Duration.ofSeconds(5));
      a.tryAcquire("k");
      assertThat(kb.sweepIdleTables()).isZero();
    }
  }

  @Test
  void aTableWhoseOverflowBucketIsInUse_isKept() {
    KeyedBuckets kb = new KeyedBuckets(LIMIT, 1, 4, time);
    BucketTable a = kb.table("a");
    assertThat(a.tryAcquire("k1")).isTrue();
    assertThat(a.tryAcquire("k2")).as("the table is full: the overflow bucket").isTrue();
    assertThat(a.tryAcquire("k3")).isTrue();
    time.advance(Duration.ofMillis(600)); // k1 has refilled, the overflow bucket half
    kb.sweepIdleTables();
    assertThat(kb.sweepIdleTables()).isZero();
    assertThat(kb.trackedDestinations()).isEqualTo(1);
    assertThat(kb.trackedKeys("a")).as("the full bucket went").isZero();
  }

  @Test
  void aHolderOfADroppedTable_isSentToTheNewOne_soAKeyIsNeverCountedInTwoTables() {
    KeyedBuckets kb = buckets(4);
    BucketTable old = kb.table("a");
    assertThat(old.tryAcquire("k")).isTrue();
    time.advance(Duration.ofSeconds(5));
    kb.sweepIdleTables();
    assertThat(kb.sweepIdleTables()).isEqualTo(1);
    assertThat(old.stale()).isTrue();

    BucketTable fresh = kb.table("a");
    assertThat(fresh).isNotSameAs(old);
    assertThat(fresh.tryAcquire("k")).isTrue();
    assertThat(fresh.tryAcquire("k")).isTrue();
    assertThat(old.tryAcquire("k")).as("through the dropped table: the new table's spent bucket").isFalse();
    assertThat(old.tryAcquire("new-key")).isTrue();
    assertThat(fresh.tryAcquire("new-key")).isTrue();
    assertThat(fresh.tryAcquire("new-key")).as("the key the old holder added is in the new table").isFalse();
  }

  @Test
  void aDestinationLeavingTheOverflowTable_longAfterItsLastGrant_startsFull() {
    KeyedBuckets kb = buckets(1);
    BucketTable[] cache = new BucketTable[2];
    assertThat(acquire(kb, cache, 0, "a", "k", time.read())).isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isTrue();
    time.advance(Duration.ofSeconds(5)); // every bucket has refilled
    kb.sweepIdleTables();
    assertThat(kb.sweepIdleTables()).isEqualTo(1);
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isFalse();
  }

  @Test
  void aDestinationOnTheOverflowTable_movesToItsOwn_whenThereIsRoom_withBucketsThatStartEmpty() {
    KeyedBuckets kb = buckets(1);
    BucketTable[] cache = new BucketTable[2];
    assertThat(acquire(kb, cache, 0, "a", "k", time.read())).isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isTrue();
    BucketTable overflow = cache[1];
    assertThat(overflow.stale()).as("b shares the overflow table").isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).isTrue();
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).as("the shared bucket is spent").isFalse();

    // a's bucket has refilled, the shared one only half: b's share of it is not known.
    time.advance(Duration.ofMillis(600));
    kb.sweepIdleTables();
    assertThat(kb.sweepIdleTables()).as("a went idle").isEqualTo(1);
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).as("its own bucket starts empty").isFalse();
    assertThat(cache[1]).isNotSameAs(overflow);
    assertThat(cache[1].stale()).isFalse();
    time.advance(Duration.ofMillis(500));
    assertThat(acquire(kb, cache, 1, "b", "k", time.read())).as("and refills").isTrue();
  }

  /**
   * Threads route to destinations that take turns being idle, through tables they cache like a
   * destination's policy does, while sweeps run. Time stands still within a phase, so no
   * (destination, key) may get more than its burst in one: a key counted in two live tables
   * would get two.
   */
  @Test
  void racingSweeps_neverGrantAKeyMoreThanItsBurstInAPhase() throws Exception {
    int threads = 6;
    int phases = 600;
    String[] destinations = {"a", "b", "c", "d"};
    String[] keys = {"k0", "k1"};
    KeyedBuckets kb = buckets(3);
    AtomicIntegerArray granted = new AtomicIntegerArray(destinations.length * keys.length);
    AtomicInteger worst = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier end = new CyclicBarrier(threads + 1);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      SplittableRandom random = new SplittableRandom(w);
      Thread t = new Thread(() -> {
        BucketTable[] cache = new BucketTable[destinations.length];
        try {
          for (int p = 0; p < phases; p++) {
            start.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < 12; i++) {
              // Two destinations a phase, so each is idle for some phases and then comes back.
              int d = (p + random.nextInt(2)) % destinations.length;
              int k = random.nextInt(keys.length);
              if (acquire(kb, cache, d, destinations[d], keys[k], time.read())) {
                granted.incrementAndGet(d * keys.length + k);
              }
            }
            end.await(30, TimeUnit.SECONDS);
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      t.start();
      workers.add(t);
    }
    for (int p = 0; p < phases; p++) {
      time.advance(Duration.ofSeconds(2)); // every bucket refills between phases
      start.await(30, TimeUnit.SECONDS);
      dropped.addAndGet(kb.sweepIdleTables()); // races the workers' first requests
      end.await(30, TimeUnit.SECONDS);
      for (int i = 0; i < granted.length(); i++) {
        worst.accumulateAndGet(granted.getAndSet(i, 0), Math::max);
      }
    }
    for (Thread t : workers) {
      t.join(30_000);
    }
    assertThat(dropped.get()).as("tables were dropped and came back").isGreaterThan(phases / 4);
    assertThat(worst.get()).as("most grants of one key in one phase").isLessThanOrEqualTo(LIMIT.burst());
  }
}
