package io.orchestra.benchmarks.saga;

import io.orchestra.core.time.RandomSource;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable throughput: 5-step sagas of no-op steps on the JDBC journal over a real PostgreSQL
 * (zonky embedded binaries, default settings, fsync on), with {@code concurrency} sagas in flight
 * at all times. Every step's completion is committed before the next step starts; the journal's
 * group commit shares each commit among the concurrent sagas. One operation is one finished saga,
 * so the score is sagas per second (target at least 2,000/s at 64 in flight on 2 cores).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class SagaPostgresBenchmark {

  /** The saga data. */
  public record Payload(String orderId, long amount) {}

  @Param({"64"})
  public int concurrency;

  private EmbeddedPostgres postgres;
  private JdbcSagaJournal journal;
  private SagaOrchestrator orchestrator;
  private SagaDefinition<Payload> definition;
  private BlockingQueue<SagaResult<Payload>> finished;
  private final AtomicLong failures = new AtomicLong();
  private final Payload payload = new Payload("order-1", 4200);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    DataSource db = postgres.getPostgresDatabase();
    journal = JdbcSagaJournal.builder(db).build();
    SagaDefinition.Builder<Payload> b = SagaDefinition.builder("bench", Payload.class);
    for (int i = 0; i < 5; i++) {
      b.step("step-" + i, s -> s.invoke(ctx -> ctx.data()).compensate(ctx -> {}));
    }
    definition = b.build();
    orchestrator =
        SagaOrchestrator.builder()
            .nodeId("bench")
            .journal(journal)
            .executor(Runnable::run) // no-op steps run where the commit completes
            .random(RandomSource.system())
            .register(definition)
            .build();
    finished = new ArrayBlockingQueue<>(concurrency * 2);
  }

  @Setup(Level.Iteration)
  public void fill() {
    for (int i = 0; i < concurrency; i++) {
      start();
    }
  }

  private void start() {
    orchestrator
        .execute(definition, payload)
        .result()
        .whenComplete(
            (r, e) -> {
              if (e != null || r.status() != SagaStatus.COMPLETED) {
                failures.incrementAndGet();
              }
              finished.add(r);
            });
  }

  @Benchmark
  public SagaResult<Payload> sagas() throws InterruptedException {
    SagaResult<Payload> r = finished.take();
    start();
    return r;
  }

  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException, SQLException {
    for (int i = 0; i < concurrency; i++) {
      finished.take();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sagas did not complete");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    orchestrator.close();
    journal.close();
    postgres.close();
  }
}
