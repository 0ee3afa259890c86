package io.orchestra.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {
  @Test
  void tasksRunInDueOrder_seeingTheirOwnDueTime_andMayScheduleMore() {
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
    List<String> log = new ArrayList<>();
    time.schedule(() -> log.add("b@" + time.read() / 1_000_000), 200_000_000L);
    time.schedule(() -> {
      log.add("a@" + time.read() / 1_000_000);
      time.schedule(() -> log.add("c@" + time.read() / 1_000_000), 150_000_000L);
    }, 100_000_000L);
    Scheduler.Cancellable cancelled = time.schedule(() -> log.add("never"), 50_000_000L);
    assertThat(cancelled.cancel()).isTrue();

    time.advance(Duration.ofMillis(300));

    assertThat(log).containsExactly("a@100", "b@200", "c@250");
    assertThat(time.instant()).isEqualTo(Instant.parse("2026-03-01T00:00:00.300Z"));
    assertThat(time.millis()).isEqualTo(Instant.parse("2026-03-01T00:00:00.300Z").toEpochMilli());
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void aTaskScheduledForeverAhead_neverRuns() {
    VirtualTime time = new VirtualTime();
    time.advance(Duration.ofSeconds(1));
    List<String> log = new ArrayList<>();
    time.schedule(() -> log.add("ran"), Long.MAX_VALUE);
    Timeouts.within(new CompletableFuture<String>(), Long.MAX_VALUE, time).whenComplete((v, e) -> log.add("timed out"));

    time.advance(Duration.ofDays(365));

    assertThat(log).isEmpty();
    assertThat(time.pendingTasks()).isEqualTo(2);
  }

  @Test
  void millis_agreesWithInstant_whenTheOriginHasSubMillisecondDigits() {
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00.000900Z"));
    time.advanceNanos(200_000); // 0.0009 s + 0.0002 s = 1.1 ms
    assertThat(time.instant()).isEqualTo(Instant.parse("2026-03-01T00:00:00.001100Z"));
    assertThat(time.millis()).isEqualTo(time.instant().toEpochMilli());

    VirtualTime beforeEpoch = new VirtualTime(Instant.parse("1969-12-31T23:59:59.999900Z"));
    beforeEpoch.advanceNanos(50_000);
    assertThat(beforeEpoch.millis()).isEqualTo(beforeEpoch.instant().toEpochMilli());
    beforeEpoch.advanceNanos(100_000);
    assertThat(beforeEpoch.millis()).isEqualTo(beforeEpoch.instant().toEpochMilli());
  }

  @Test
  void timeoutsAndDelaysFollowVirtualTime() {
    VirtualTime time = new VirtualTime();
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> guarded = Timeouts.within(never, Duration.ofSeconds(5).toNanos(), time);
    CompletableFuture<Void> delayed = Timeouts.delay(Duration.ofSeconds(2).toNanos(), time);

    time.advance(Duration.ofSeconds(2));
    assertThat(delayed).isDone();
    assertThat(guarded).isNotDone();
    time.advance(Duration.ofSeconds(3));
    assertThat(guarded).isCompletedExceptionally();
    assertThat(guarded.handle((v, e) -> e).join()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void seededRandom_isReproducible_andBounded() {
    RandomSource a = RandomSource.seeded(42);
    RandomSource b = RandomSource.seeded(42);
    for (int i = 0; i < 1000; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
      assertThat(a.nextInt(7)).isBetween(0, 6);
      assertThat(b.nextInt(7)).isBetween(0, 6);
      double d = a.nextDouble();
      b.nextDouble();
      assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
    }
  }
}
