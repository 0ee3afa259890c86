package io.orchestra.benchmarks.saga;

import io.orchestra.core.time.RandomSource;
import io.orchestra.saga.PersistenceConfig;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.journal.InMemorySagaJournal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Orchestration overhead per step: a 5-step saga of no-op Java-function steps on the in-memory
 * journal, run to completion on the calling thread (direct executor), so the score is what the
 * orchestrator itself costs per step: events, state, data JSON per step, snapshot, telemetry.
 * Scores are per step ({@code @OperationsPerInvocation(5)}); target under 2 us.
 *
 * <p>{@code baselineFutureChain} is the floor: the same five no-op functions chained with {@code
 * CompletableFuture} and nothing recorded. {@code snapshotInterval} 5 is the default (one
 * snapshot per saga); 1000 shows the cost without it. The journal keeps only the last 64 finished
 * sagas, so retained history does not turn the measurement into an old-generation GC test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SagaOverheadBenchmark {
  static final int STEPS = 5;

  /** The saga data. */
  public record Payload(String orderId, long amount) {}

  @Param({"5", "1000"})
  public int snapshotInterval;

  private SagaOrchestrator orchestrator;
  private SagaDefinition<Payload> definition;
  private Payload payload;
  private Function<Payload, Payload> noop;

  @Setup(Level.Trial)
  public void setUp() {
    SagaDefinition.Builder<Payload> b = SagaDefinition.builder("bench", Payload.class);
    for (int i = 0; i < STEPS; i++) {
      b.step("step-" + i, s -> s.invoke(ctx -> ctx.data()).compensate(ctx -> {}));
    }
    definition = b.build();
    orchestrator =
        SagaOrchestrator.builder()
            .nodeId("bench")
            .journal(InMemorySagaJournal.bounded(64))
            .executor(Runnable::run)
            .random(RandomSource.system())
            .config(
                SagaConfig.builder()
                    .persistence(PersistenceConfig.builder().snapshotInterval(snapshotInterval).build())
                    .build())
            .register(definition)
            .build();
    payload = new Payload("order-1", 4200);
    noop = p -> p;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    orchestrator.close();
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public SagaResult<Payload> orchestra() {
    // The journal and every step complete synchronously, so the saga has ended on return.
    return orchestrator.execute(definition, payload).join();
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public Payload baselineFutureChain() {
    CompletableFuture<Payload> f = CompletableFuture.completedFuture(payload);
    for (int i = 0; i < STEPS; i++) {
      f = f.thenApply(noop);
    }
    return f.join();
  }
}
