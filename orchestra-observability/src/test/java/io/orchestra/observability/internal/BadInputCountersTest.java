package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.observability.testing.Race;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BadInputCountersTest {
  private static final int THREADS = 8;
  private static final String[] KINDS = {"metric", "log", "span", "service", "alert"};
  private static final String[] REASONS = {"nan", "empty", "unknown_parent", "tracking_overflow", "active_overflow", "x"};

  @Test
  void eightThreadsCountingManyPairsLoseNothingLocallyOrInMicrometer() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BadInputCounters bad = new BadInputCounters(registry);
    int perThread = 30_000;
    Race.run(THREADS, thread -> {
      for (int i = 0; i < perThread; i++) {
        int k = (i + thread) % KINDS.length;
        int r = i % REASONS.length;
        if (i % 7 == 0) {
          bad.add(KINDS[k], REASONS[r], 3);
        } else {
          bad.count(KINDS[k], REASONS[r]);
        }
      }
    });
    // The same sequence, counted by a plain map.
    Map<String, Long> expected = new HashMap<>();
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.merge(KINDS[(i + t) % KINDS.length] + "." + REASONS[i % REASONS.length], i % 7 == 0 ? 3L : 1L, Long::sum);
      }
    }
    assertThat(bad.snapshot().counts()).isEqualTo(new TreeMap<>(expected));
    expected.forEach((key, n) -> {
      String[] kr = key.split("\\.", 2);
      assertThat(bad.snapshot().count(kr[0], kr[1])).isEqualTo(n);
      assertThat(registry.get("orchestra.observability.bad.input").tag("kind", kr[0]).tag("reason", kr[1]).counter().count())
          .as(key).isEqualTo((double) n);
    });
  }

  @Test
  void nonPositiveAmountsAreIgnoredAndPairsThatJoinToOneKeyAreSummed() {
    BadInputCounters bad = new BadInputCounters(null);
    bad.add("span", "cycle", 0);
    bad.add("span", "cycle", -2);
    assertThat(bad.snapshot().counts()).isEmpty();
    bad.count("a.b", "c");
    bad.add("a", "b.c", 2);
    assertThat(bad.snapshot().counts()).containsExactly(Map.entry("a.b.c", 3L));
    assertThat(bad.snapshot().total()).isEqualTo(3);
  }

  @Test
  void countingAPairSeenBeforeAllocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    for (BadInputCounters bad : List.of(new BadInputCounters(null), new BadInputCounters(new SimpleMeterRegistry()))) {
      int calls = 200_000;
      for (int i = 0; i < calls; i++) { // first occurrences and warm-up
        bad.count("service", "tracking_overflow");
        bad.add("span", "buffer_full", 2);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < calls; i++) {
        bad.count("service", "tracking_overflow");
        bad.add("span", "buffer_full", 2);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // Building the key (and the meter lookup's lambda) took 64 bytes a call; a little noise from
      // the measurement itself is allowed, not one byte a call.
      assertThat(allocated).as("bytes allocated by %s calls", 2 * calls).isLessThan(calls / 10);
      assertThat(bad.snapshot().count("service", "tracking_overflow")).isEqualTo(2L * calls);
      assertThat(bad.snapshot().count("span", "buffer_full")).isEqualTo(4L * calls);
    }
  }
}
