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
import java.sql.ResultSet;
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
 * (zonky embedded binaries), with {@code concurrency} sagas in flight at all times. Zonky starts
 * PostgreSQL with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} off (fast
 * tests, no durability); the benchmark turns all three back on (PostgreSQL's own defaults), so a
 * commit returns only once its WAL is flushed to disk, as in production (checked at setup). Every
 * step's completion is committed before the next step starts; the journal's group commit shares
 * each commit among the concurrent sagas. One operation is one finished saga,
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

  /** The journal's writer threads: 2 is its PostgreSQL default; {@code -p writers=1} shows one. */
  @Param({"2"})
  public int writers;

  private EmbeddedPostgres postgres;
  private JdbcSagaJournal journal;
  private SagaOrchestrator orchestrator;
  private SagaDefinition<Payload> definition;
  private BlockingQueue<SagaResult<Payload>> finished;
  private final AtomicLong failures = new AtomicLong();
  private final Payload payload = new Payload("order-1", 4200);

  @Setup(Level.Trial)
  public void setUp() throws IOException, SQLException {
    postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .start();
    DataSource db = postgres.getPostgresDatabase();
    requireDurable(db);
    journal = JdbcSagaJournal.builder(db).writers(writers).build();
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

  private static void requireDurable(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new IllegalStateException(setting + " is " + rs.getString(1) + ", the benchmark needs on");
          }
        }
      }
    }
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
