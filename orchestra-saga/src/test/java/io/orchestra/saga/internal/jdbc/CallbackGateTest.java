package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The writer's wait for its completions: it ends when the last one returns, not at its bound, and
 * a completion that never returns holds it no longer than the bound. (Behaviour, not speed: the
 * bounds are far apart.)
 */
class CallbackGateTest {
  private final CallbackGate gate = new CallbackGate();

  @Test
  @DisplayName("no callback running: the wait returns at once")
  void nothingRunning() {
    gate.awaitQuiet(TimeUnit.HOURS.toNanos(1));
    assertThat(gate.running()).isZero();
  }

  @Test
  @DisplayName("the wait ends when the last counted callback has run, long before its bound")
  void endsWithTheLastCallback() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable first = gate.counted(() -> {});
    Runnable second =
        gate.counted(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(gate.running()).isEqualTo(2);
    first.run();
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(() -> gate.awaitQuiet(TimeUnit.HOURS.toNanos(1)));
    Thread callbackThread = new Thread(second);
    callbackThread.start();
    release.countDown();
    waiting.get(30, TimeUnit.SECONDS); // an hour-long bound: only the signal can end it in time
    callbackThread.join();
    assertThat(gate.running()).isZero();
  }

  @Test
  @DisplayName("a callback that never returns holds the wait only up to its bound")
  void boundedByItsLimit() throws Exception {
    gate.counted(() -> {}); // counted but never run
    CompletableFuture.runAsync(() -> gate.awaitQuiet(TimeUnit.MILLISECONDS.toNanos(20)))
        .get(30, TimeUnit.SECONDS);
    assertThat(gate.running()).isEqualTo(1);
  }

  @Test
  @DisplayName("a counted callback run twice (an executor that ran it, then refused it) releases its count once")
  void runTwice_releasesOnce() {
    Runnable once = gate.counted(() -> {});
    Runnable other = gate.counted(() -> {});
    once.run();
    once.run();
    assertThat(gate.running()).as("the other callback is still counted").isEqualTo(1);
    other.run();
    assertThat(gate.running()).isZero();
  }

  @Test
  @DisplayName("an abandoned callback is no longer counted, and running it later releases nothing more")
  void abandoned_releasesOnce() {
    CallbackGate.Counted lost = gate.counted(() -> {});
    Runnable other = gate.counted(() -> {});
    lost.abandon();
    assertThat(gate.running()).isEqualTo(1);
    lost.run(); // an executor that queued it before it threw runs it after all
    lost.abandon();
    assertThat(gate.running()).as("the other callback is still counted").isEqualTo(1);
    other.run();
    assertThat(gate.running()).isZero();
    gate.awaitQuiet(TimeUnit.HOURS.toNanos(1)); // nothing counted: returns at once
  }
}
