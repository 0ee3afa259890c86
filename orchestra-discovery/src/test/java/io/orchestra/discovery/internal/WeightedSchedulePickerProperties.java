package io.orchestra.discovery.internal;

import static io.orchestra.discovery.internal.TestMembers.members;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.discovery.ClientContext;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WeightedSchedulePickerProperties {

  private static long[] longs(List<Integer> weights) {
    return weights.stream().mapToLong(Integer::longValue).toArray();
  }

  private static long gcd(long[] w) {
    long g = 0;
    for (long v : w) {
      g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(v)).longValue();
    }
    return g;
  }

  @Property(tries = 300)
  void everyPeriodGivesEachMemberExactlyItsWeight(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 60) Integer> weights,
      @ForAll @LongRange(min = 0, max = 1_000_000) long start,
      @ForAll @IntRange(min = 1, max = 3) int periods) {
    long[] w = longs(weights);
    long g = gcd(w);
    long period = 0;
    for (long v : w) {
      period += v / g;
    }
    InstanceState[] m = members(w.length);
    WeightedSchedulePicker picker = WeightedSchedulePicker.of(m, w, new AtomicLong(start), false);
    assertThat(picker).isNotNull();
    assertThat(picker.period()).isEqualTo(period);
    int[] counts = new int[w.length];
    for (long k = 0; k < periods * period; k++) {
      counts[Integer.parseInt(picker.pick(ClientContext.none()).id.substring(1))]++;
    }
    for (int i = 0; i < w.length; i++) {
      assertThat(counts[i]).as("picks of m%s", i).isEqualTo(periods * w[i] / g);
    }
  }

  @Property(tries = 200)
  void theHeaviestMemberIsInterleavedWithTheOthers(
      @ForAll @Size(min = 2, max = 12) List<@IntRange(min = 1, max = 9) Integer> weights) {
    long[] w = longs(weights);
    long total = 0;
    long heaviest = 0;
    for (long v : w) {
      total += v;
      heaviest = Math.max(heaviest, v);
    }
    int[] schedule = WeightedSchedulePicker.schedule(w);
    // Runs are taken cyclically: the schedule repeats. Evenly spread, the heaviest member's slots
    // are split by the others' into runs of about heaviest / (total - heaviest); allow twice that.
    int longest = 0;
    for (int startAt = 0; startAt < schedule.length; startAt++) {
      int run = 0;
      while (run < schedule.length && schedule[(startAt + run) % schedule.length] == schedule[startAt]) {
        run++;
      }
      longest = Math.max(longest, run);
    }
    if (total > heaviest) {
      long bound = 2 * ((heaviest + (total - heaviest) - 1) / (total - heaviest)) + 1;
      assertThat((long) longest).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  @DisplayName("a schedule longer than its bound is not built (the stride scheduler takes over)")
  void tooLongIsNull() {
    long[] w = {65_537, 65_539, 3}; // pairwise coprime: the period is their sum
    assertThat(WeightedSchedulePicker.schedule(w)).isNull();
    assertThat(WeightedSchedulePicker.schedule(new long[] {1, 0})).isNull();
    assertThat(WeightedSchedulePicker.schedule(new long[] {100_000, 200_000})).hasSize(3);
  }

  @Test
  @DisplayName("unusable members hand their slots on; with none usable the pick is null")
  void skipsUnusable() {
    InstanceState[] m = members(3);
    WeightedSchedulePicker picker =
        WeightedSchedulePicker.of(m, new long[] {1, 2, 7}, new AtomicLong(), false);
    ClientContext avoid = ClientContext.none().avoiding("m2");
    int[] counts = new int[3];
    for (int k = 0; k < 1000; k++) {
      counts[Integer.parseInt(picker.pick(avoid).id.substring(1))]++;
    }
    assertThat(counts[2]).isZero();
    assertThat(counts[0] + counts[1]).isEqualTo(1000);
    assertThat(picker.pick(avoid.avoiding("m0").avoiding("m1"))).isNull();
  }

  @Test
  @DisplayName("eight threads picking concurrently still take every slot exactly once")
  void concurrentPicksAreExact() throws Exception {
    long[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    InstanceState[] m = members(w.length);
    WeightedSchedulePicker picker = WeightedSchedulePicker.of(m, w, new AtomicLong(), false);
    int period = picker.period(); // 55
    int threads = 8;
    int perThread = period * 1000;
    AtomicIntegerArray counts = new AtomicIntegerArray(w.length);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int k = 0; k < perThread; k++) {
                    counts.incrementAndGet(Integer.parseInt(picker.pick(ClientContext.none()).id.substring(1)));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < w.length; i++) {
      assertThat(counts.get(i)).isEqualTo(threads * 1000 * (int) w[i]);
    }
  }
}
