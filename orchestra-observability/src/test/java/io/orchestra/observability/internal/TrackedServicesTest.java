package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.testing.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TrackedServicesTest {
  private static final int THREADS = 8;

  @Test
  void eightThreadsAddingDistinctNamesNeverOvershootTheBound() throws Exception {
    int limit = 1_000;
    int perThread = 2_000;
    BadInputCounters bad = new BadInputCounters(null);
    TrackedServices tracked = new TrackedServices(limit, bad);
    AtomicInteger admitted = new AtomicInteger();
    Race.run(THREADS, t -> {
      for (int i = 0; i < perThread; i++) {
        if (tracked.track("svc-" + t + "-" + i)) {
          admitted.incrementAndGet();
        }
      }
    });
    assertThat(tracked.size()).isEqualTo(limit);
    assertThat(tracked.view()).hasSize(limit);
    assertThat(admitted).hasValue(limit);
    assertThat(bad.snapshot().count("service", "tracking_overflow")).isEqualTo((long) THREADS * perThread - limit);
  }

  @Test
  void eightThreadsAddingTheSameNamesReserveOneSlotEach() throws Exception {
    BadInputCounters bad = new BadInputCounters(null);
    TrackedServices tracked = new TrackedServices(500, bad);
    Race.run(THREADS, t -> {
      for (int i = 0; i < 500; i++) {
        assertThat(tracked.track("svc-" + i)).isTrue();
      }
    });
    // A name two threads raced to insert used one slot, so all 500 fit and none was refused.
    assertThat(tracked.size()).isEqualTo(500);
    assertThat(tracked.view()).hasSize(500);
    assertThat(bad.snapshot().total()).isZero();
  }

  @Test
  void knownNamesStayTrackedPastTheBoundAndEveryRefusalCounts() {
    BadInputCounters bad = new BadInputCounters(null);
    TrackedServices tracked = new TrackedServices(2, bad);
    assertThat(tracked.track("a")).isTrue();
    assertThat(tracked.track("b")).isTrue();
    assertThat(tracked.track("c")).isFalse();
    assertThat(tracked.track("c")).isFalse();
    assertThat(tracked.track("a")).isTrue();
    assertThat(tracked.track(null)).isFalse();
    assertThat(tracked.contains("a")).isTrue();
    assertThat(tracked.contains("c")).isFalse();
    assertThat(tracked.contains(null)).isFalse();
    assertThat(tracked.view()).containsExactlyInAnyOrder("a", "b");
    assertThat(bad.snapshot().count("service", "tracking_overflow")).isEqualTo(2);
  }

  @Property
  void matchesASequentialReferenceModel(
      @ForAll @IntRange(min = 1, max = 20) int limit, @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 40) Integer> names) {
    BadInputCounters bad = new BadInputCounters(null);
    TrackedServices tracked = new TrackedServices(limit, bad);
    List<String> model = new ArrayList<>();
    long refusals = 0;
    for (int n : names) {
      String name = "s" + n;
      boolean expected = model.contains(name) || model.size() < limit;
      if (expected && !model.contains(name)) {
        model.add(name);
      }
      if (!expected) {
        refusals++;
      }
      assertThat(tracked.track(name)).isEqualTo(expected);
    }
    assertThat(tracked.view()).containsExactlyInAnyOrderElementsOf(model);
    assertThat(tracked.size()).isEqualTo(model.size());
    assertThat(bad.snapshot().count("service", "tracking_overflow")).isEqualTo(refusals);
  }
}
