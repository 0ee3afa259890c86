package io.orchestra.saga.testing;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.saga.CompensationConfig;
import io.orchestra.saga.ExecutionConfig;
import io.orchestra.saga.RecoveryConfig;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaJournal;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Orchestrators on virtual time over one journal. Steps run on the calling thread (direct
 * executor); time moves only when {@link #await} or {@link #advance} move it, and before each move
 * the harness waits (for real, since it is I/O) until the journal has written everything queued.
 */
public final class Harness {
  public static final Executor DIRECT = Runnable::run;

  public final VirtualTime time = new VirtualTime();
  public final Ledger ledger = new Ledger();
  public final Script script = new Script(ledger);
  public final SagaJournal journal;
  private final BooleanSupplier quiet;

  public Harness(SagaJournal journal) {
    this.journal = journal;
    this.quiet = journal instanceof JdbcSagaJournal j ? j::isIdle : () -> true;
  }

  /**
   * For takeover tests: retries and compensation retries after 100 ms, leases of 30 s renewed
   * every 10 s, and a look for expired ones every 5 s.
   */
  public static SagaConfig takeoverConfig() {
    return SagaConfig.builder()
        .execution(ExecutionConfig.builder().retryBackoff(Backoff.fixed(Duration.ofMillis(100))).build())
        .compensation(CompensationConfig.builder().compensationBackoff(Backoff.fixed(Duration.ofMillis(100))).build())
        .recovery(
            RecoveryConfig.builder()
                .leaseDuration(Duration.ofSeconds(30))
                .leaseRenewInterval(Duration.ofSeconds(10))
                .recoveryInterval(Duration.ofSeconds(5))
                .build())
        .build();
  }

  public SagaOrchestrator node(String nodeId, SagaConfig config) {
    return node(nodeId, config, TelemetrySink.noop());
  }

  public SagaOrchestrator node(String nodeId, SagaConfig config, TelemetrySink telemetry) {
    return node(nodeId, config, journal, time, telemetry);
  }

  /** A node that sees the journal and its timers through {@code view}, which can kill it. */
  public SagaOrchestrator node(String nodeId, SagaConfig config, Killable view) {
    return node(nodeId, config, view, view.scheduler(), TelemetrySink.noop());
  }

  private SagaOrchestrator node(
      String nodeId, SagaConfig config, SagaJournal journal, Scheduler scheduler, TelemetrySink telemetry) {
    return SagaOrchestrator.builder()
        .nodeId(nodeId)
        .config(config)
        .journal(journal)
        .ticker(time)
        .clock(time)
        .scheduler(scheduler)
        .random(RandomSource.seeded(42))
        .executor(DIRECT)
        .telemetry(telemetry)
        .build();
  }

  /** Waits (really) until the journal has nothing queued. */
  public void settle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int quietRounds = 0;
    while (quietRounds < 2) {
      if (quiet.getAsBoolean()) {
        quietRounds++;
      } else {
        quietRounds = 0;
        if (System.nanoTime() > deadline) {
          throw new AssertionError("journal did not settle within 60 s");
        }
        LockSupport.parkNanos(200_000);
      }
    }
  }

  /** Moves virtual time forward in 10 ms steps, settling the journal before each. */
  public void advance(Duration d) {
    long steps = Math.max(1, d.toMillis() / 10);
    for (long i = 0; i < steps; i++) {
      settle();
      time.advance(Duration.ofMillis(10));
    }
    settle();
  }

  /** The stage's value, moving virtual time (at most {@code limit}) until it completes. */
  public <T> T await(CompletionStage<T> stage, Duration limit) {
    var f = stage.toCompletableFuture();
    long maxSteps = limit.toMillis() / 10;
    for (long i = 0; ; i++) {
      settle();
      if (f.isDone()) {
        try {
          return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
          throw new AssertionError(e);
        }
      }
      if (i >= maxSteps) {
        throw new AssertionError("not done after " + limit + " of virtual time");
      }
      time.advance(Duration.ofMillis(10));
    }
  }

  public <T> T await(CompletionStage<T> stage) {
    return await(stage, Duration.ofHours(1));
  }

  /** The failure of a stage that must fail. */
  public Throwable awaitFailure(CompletionStage<?> stage, Duration limit) {
    var f = stage.toCompletableFuture();
    long maxSteps = limit.toMillis() / 10;
    for (long i = 0; ; i++) {
      settle();
      if (f.isDone()) {
        try {
          f.get();
          throw new AssertionError("stage succeeded with " + f.getNow(null));
        } catch (ExecutionException e) {
          return e.getCause();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      if (i >= maxSteps) {
        throw new AssertionError("not done after " + limit + " of virtual time");
      }
      time.advance(Duration.ofMillis(10));
    }
  }
}
