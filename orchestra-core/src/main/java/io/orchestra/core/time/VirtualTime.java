package io.orchestra.core.time;

import io.orchestra.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Virtual time for tests and simulations: one object that is the {@link Ticker}, the wall {@link
 * Clock} and the {@link Scheduler} of the engines under test. Time stands still until the test
 * calls {@link #advance(Duration)}; scheduled tasks then run in due order on the calling thread,
 * each seeing the clock at its own due time.
 *
 * <p>Thread-safe: any thread may read the time or schedule; {@link #advance} runs tasks on the
 * thread that calls it, outside of any lock, so tasks may schedule further tasks.
 */
public final class VirtualTime extends Clock implements Ticker, Scheduler {

  private final Instant origin;
  private final ZoneId zone;
  private final Shared shared;

  /** Time that starts at {@code 2026-01-01T00:00:00Z} with a ticker reading of zero. */
  public VirtualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Time that starts at the given wall-clock instant, with a ticker reading of zero. */
  public VirtualTime(Instant start) {
    this(Checks.notNull("start", start), ZoneOffset.UTC, new Shared());
  }

  private VirtualTime(Instant origin, ZoneId zone, Shared shared) {
    this.origin = origin;
    this.zone = zone;
    this.shared = shared;
  }

  // ---- Ticker ----

  @Override
  public long read() {
    return shared.nanos;
  }

  // ---- Clock ----

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new VirtualTime(origin, newZone, shared);
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(read());
  }

  @Override
  public long millis() {
    // Same value as instant().toEpochMilli() without creating an Instant; the origin's
    // sub-millisecond part counts, so the two never disagree.
    return origin.toEpochMilli() + (origin.getNano() % 1_000_000 + read()) / 1_000_000;
  }

  // ---- Scheduler ----

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Checks.notNull("task", task);
    synchronized (shared) {
      Task t = new Task(task, saturatedAdd(shared.nanos, Math.max(0, delayNanos)), shared.sequence++);
      shared.queue.add(t);
      return () -> {
        synchronized (shared) {
          return shared.queue.remove(t);
        }
      };
    }
  }

  // ---- Control ----

  /**
   * Moves time forward by {@code amount}, running every task that falls due on the way, in order
   * of due time (ties in scheduling order). Tasks scheduled by those tasks run too when they fall
   * due within the same advance.
   */
  public VirtualTime advance(Duration amount) {
    Checks.nonNegative("amount", amount);
    return advanceNanos(amount.toNanos());
  }

  /** Like {@link #advance(Duration)} with nanoseconds. */
  public VirtualTime advanceNanos(long nanos) {
    Checks.nonNegative("nanos", nanos);
    long target;
    synchronized (shared) {
      target = saturatedAdd(shared.nanos, nanos);
    }
    while (true) {
      Task next;
      synchronized (shared) {
        next = shared.queue.peek();
        if (next == null || next.due > target) {
          shared.nanos = Math.max(shared.nanos, target);
          return this;
        }
        shared.queue.poll();
        shared.nanos = Math.max(shared.nanos, next.due);
      }
      next.run.run();
    }
  }

  /** Runs the tasks that are already due without moving time. */
  public VirtualTime runDueTasks() {
    return advanceNanos(0);
  }

  /** How many scheduled tasks have not run yet. */
  public int pendingTasks() {
    synchronized (shared) {
      return shared.queue.size();
    }
  }

  /** Elapsed virtual time since this object was created. */
  public Duration elapsed() {
    return Duration.ofNanos(read());
  }

  @Override
  public String toString() {
    return "VirtualTime[" + instant() + "]";
  }

  /**
   * {@code now + delta} for {@code delta >= 0}, at most {@link Long#MAX_VALUE}: a task scheduled
   * "forever" ahead must not wrap around into the past and run at once.
   */
  private static long saturatedAdd(long now, long delta) {
    return delta > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delta;
  }

  private static final class Shared {
    volatile long nanos; // written under the lock, read without it
    long sequence;
    final PriorityQueue<Task> queue =
        new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  }

  private static final class Task {
    final Runnable run;
    final long due;
    final long seq;

    Task(Runnable run, long due, long seq) {
      this.run = run;
      this.due = due;
      this.seq = seq;
    }
  }
}
