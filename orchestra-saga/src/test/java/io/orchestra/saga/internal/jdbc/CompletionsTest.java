package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.journal.SagaAppend;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A completion's hand-over to the callback executor, however it ends, releases the callback
 * gate's count exactly once: a count left behind would hold every later batch for the full
 * commit wait, and one released twice would let the writer stop waiting for callbacks that still
 * run. No clock is involved: the gate's count is read directly.
 */
class CompletionsTest {
  /** A custom Error, so no real resource is exhausted. */
  static final class HandOverError extends Error {
    HandOverError() {
      super("unable to create native thread");
    }
  }

  /** How the callback executor takes a task; the queue stands in for its worker threads. */
  enum HandOver {
    RUNS(false, true),
    QUEUES(false, false),
    REFUSES(false, true), // RejectedExecutionException: the writer runs it itself
    RUNS_THEN_REFUSES(false, true), // ran it, then threw: the writer runs it a second time
    THROWS_ERROR(true, false), // never runs it
    QUEUES_THEN_THROWS_ERROR(true, false), // ThreadPoolExecutor: queued, then no worker starts
    RUNS_THEN_THROWS_ERROR(true, true);

    final boolean throwsError;
    final boolean completesAtOnce;

    HandOver(boolean throwsError, boolean completesAtOnce) {
      this.throwsError = throwsError;
      this.completesAtOnce = completesAtOnce;
    }

    void execute(Runnable task, Queue<Runnable> queued) {
      switch (this) {
        case RUNS -> task.run();
        case QUEUES -> queued.add(task);
        case REFUSES -> throw new RejectedExecutionException("shut down");
        case RUNS_THEN_REFUSES -> {
          task.run();
          throw new RejectedExecutionException("ran it, then refused");
        }
        case THROWS_ERROR -> throw new HandOverError();
        case QUEUES_THEN_THROWS_ERROR -> {
          queued.add(task);
          throw new HandOverError();
        }
        case RUNS_THEN_THROWS_ERROR -> {
          task.run();
          throw new HandOverError();
        }
      }
    }
  }

  private final Queue<Runnable> queued = new ArrayDeque<>();

  @ParameterizedTest(name = "{0}")
  @EnumSource(HandOver.class)
  @DisplayName("the gate's count is released exactly once, however the hand-over ends")
  void handOver_releasesTheCountOnce(HandOver handOver) {
    Completions done = new Completions(task -> handOver.execute(task, queued));
    WriteOp op = submitted(done);

    if (handOver.throwsError) {
      assertThatThrownBy(() -> done.succeed(op))
          .as("the Error goes on to the writer")
          .isInstanceOf(HandOverError.class);
      assertThat(op.completed).as("still open: the writer's catch-all completes it").isFalse();
      assertThat(done.isIdle()).isFalse();
    } else {
      done.succeed(op);
      assertThat(op.completed).isTrue();
      assertThat(done.isIdle()).isTrue();
    }
    assertThat(op.future.isDone()).isEqualTo(handOver.completesAtOnce);
    assertThat(done.callbacksRunning())
        .as("counted until run, or not at all once the hand-over threw")
        .isEqualTo(handOver == HandOver.QUEUES ? 1 : 0);

    runQueued();
    assertThat(done.callbacksRunning()).as("after every queued task ran").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = HandOver.class, names = {"THROWS_ERROR", "QUEUES_THEN_THROWS_ERROR"})
  @DisplayName("after a hand-over Error, the writer's catch-all fails the write once and nothing is left counted")
  void handOverError_thenCatchAll_leavesNothingCounted(HandOver first) {
    HandOver[] next = {first};
    Completions done =
        new Completions(
            task -> {
              HandOver h = next[0];
              next[0] = HandOver.RUNS; // the Error happens once
              h.execute(task, queued);
            });
    WriteOp op = submitted(done);
    assertThatThrownBy(() -> done.succeed(op)).isInstanceOf(HandOverError.class);

    // What GroupCommitWriter does for the writes of a batch that threw and are still open.
    done.fail(op, new SagaJournalException("saga journal writer failed"));

    assertThat(op.future).isCompletedExceptionally();
    assertThat(done.isIdle()).isTrue();
    assertThat(done.callbacksRunning()).isZero();
    runQueued(); // the queued success, too late: the future keeps its first outcome
    assertThat(op.future).isCompletedExceptionally();
    assertThat(done.callbacksRunning()).isZero();
    // So the writer's next wait returns at once; with a count left behind this would park for
    // the hour (the gate reads no clock: the bound is only the park's).
    done.awaitCallbacks(TimeUnit.HOURS.toNanos(1));
  }

  private WriteOp submitted(Completions done) {
    WriteOp op = new WriteOp(null, List.of(), new SagaAppend("s", 1, List.of(), null, null, false, false));
    done.submitted();
    return op;
  }

  private void runQueued() {
    Runnable r;
    while ((r = queued.poll()) != null) {
      r.run();
    }
  }
}
