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
