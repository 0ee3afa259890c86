package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.internal.jdbc.GroupCommitWriter;
import io.orchestra.saga.internal.jdbc.JdbcReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.sql.DataSource;

/**
 * A {@link SagaJournal} on a SQL database through plain JDBC: PostgreSQL for production (several
 * nodes share it) or H2 for the embedded journal. The schema is created and migrated when the
 * journal is built (the SQL is in docs/saga.md).
 *
 * <p>Writes go through writer threads, each with its own connection, that commit everything queued
 * since their last commit in a single transaction (group commit), so many concurrent sagas share
 * each fsync while every write is still durable before its stage completes. Each saga belongs to
 * one writer (by its id), so its writes stay in order; with two writers (the PostgreSQL default)
 * one writer's statements run while the other waits for its commit to reach the disk. Reads,
 * claims and lease renewals use one more connection. When the database goes away, queued writes wait and are retried with backoff until
 * it is back; nothing is half-written and nothing is dropped.
 *
 * <p>Thread-safe. The journal holds {@link Builder#writers writers} + 1 connections from the {@link
 * DataSource}; close it when done.
 */
public final class JdbcSagaJournal implements SagaJournal {
  private final GroupCommitWriter[] writers;
  private final JdbcReader reader;
  private final SqlDialect dialect;

  private JdbcSagaJournal(Builder b) {
    this.dialect = b.dialect;
    this.reader = new JdbcReader(b.dataSource, b.dialect);
    if (b.migrate) {
      reader.migrate();
    }
    int count = b.writers > 0 ? b.writers : b.dialect == SqlDialect.POSTGRESQL ? 2 : 1;
    this.writers = new GroupCommitWriter[count];
    for (int i = 0; i < count; i++) {
      writers[i] =
          new GroupCommitWriter(
              b.dataSource,
              b.maxBatchSize,
              b.callbackExecutor,
              b.scheduler,
              b.random,
              b.reconnectBackoff,
              b.dialect,
              b.commitWait.toNanos(),
              "orchestra-saga-journal-" + b.dialect.name().toLowerCase(java.util.Locale.ROOT) + "-" + i);
    }
  }

  /** The writer that owns {@code sagaId}: always the same one, so a saga's writes stay in order. */
  private GroupCommitWriter writer(String sagaId) {
    return writers.length == 1 ? writers[0] : writers[Math.floorMod(sagaId.hashCode(), writers.length)];
  }

  /** A PostgreSQL journal over {@code dataSource} with the defaults. */
  public static JdbcSagaJournal postgres(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a journal over {@code dataSource} (PostgreSQL unless told otherwise). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The dialect. */
  public SqlDialect dialect() {
    return dialect;
  }

  /** Whether no write is queued or in progress (tests use it to wait for quiet). */
  public boolean isIdle() {
    for (GroupCommitWriter w : writers) {
      if (!w.isIdle()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public CompletionStage<Void> create(SagaRecord record, List<SagaEvent> events) {
    Checks.notNull("record", record);
    return writer(record.sagaId()).create(record, List.copyOf(events));
  }

  @Override
  public CompletionStage<Void> append(SagaAppend append) {
    Checks.notNull("append", append);
    return writer(append.sagaId()).append(append);
  }

  @Override
  public Optional<StoredSaga> load(String sagaId) {
    return reader.load(sagaId);
  }

  @Override
  public List<SagaEvent> history(String sagaId) {
    return reader.history(sagaId);
  }

  @Override
  public List<SagaRecord> claimExpired(
      String nodeId,
      Collection<String> definitionKeys,
      long nowMillis,
      long leaseUntilMillis,
      int limit,
      boolean includeOwn) {
    return reader.claimExpired(nodeId, definitionKeys, nowMillis, leaseUntilMillis, limit, includeOwn);
  }

  @Override
  public Optional<SagaRecord> acquire(String sagaId, String nodeId, long nowMillis, long leaseUntilMillis) {
    return reader.acquire(sagaId, nodeId, nowMillis, leaseUntilMillis);
  }

  @Override
  public Set<String> renewLeases(Collection<LeaseRef> leases, long leaseUntilMillis) {
    if (leases.isEmpty()) {
      return Set.of();
    }
    return reader.renewLeases(leases, leaseUntilMillis);
  }

  @Override
  public List<SagaRecord> find(Set<SagaStatus> statuses, int limit) {
    return reader.find(statuses, limit);
  }

  /** Writes what is queued, then releases both connections. */
  @Override
  public void close() {
    for (GroupCommitWriter w : writers) {
      w.close();
    }
    reader.close();
  }

  @Override
  public String toString() {
    return "JdbcSagaJournal[" + dialect + "]";
  }

  /** Builds a {@link JdbcSagaJournal}; not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private SqlDialect dialect = SqlDialect.POSTGRESQL;
    private int maxBatchSize = 512;
    private int writers; // 0: the dialect's default
    private Duration commitWait = Duration.ofMillis(1);
    private Executor callbackExecutor = ForkJoinPool.commonPool();
    private Scheduler scheduler = Scheduler.systemDefault();
    private RandomSource random = RandomSource.system();
    private Backoff reconnectBackoff =
        Backoff.fullJitter(Duration.ofMillis(50), 2, Duration.ofSeconds(5));
    private boolean migrate = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Checks.notNull("dataSource", dataSource);
    }

    /** The database; default PostgreSQL. */
    public Builder dialect(SqlDialect dialect) {
      this.dialect = Checks.notNull("dialect", dialect);
      return this;
    }

    /** Most writes committed together; default 512. */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = Checks.inRange("maxBatchSize", maxBatchSize, 1, 100_000);
      return this;
    }

    /**
     * How many writer threads (each with its own connection) commit in parallel; default 2 on
     * PostgreSQL, where one writer's statements then overlap the other's wait for the disk, and 1
     * on H2, whose file store gains nothing from a second one. Each saga's writes go to one writer.
     */
    public Builder writers(int writers) {
      this.writers = Checks.inRange("writers", writers, 1, 16);
      return this;
    }

    /**
     * How long a writer waits, at most, after a commit for that commit's completions to finish
     * running on the callback executor before it takes its next batch; default 1 ms, zero takes
     * the next batch at once. The completions issue the sagas' next writes, so waiting for them
     * lets all the sagas of one commit share the next one instead of half of them waiting a
     * whole commit more. The wait ends as soon as the last completion returns.
     */
    public Builder commitWait(Duration commitWait) {
      Checks.nonNegative("commitWait", commitWait);
      Checks.argument(
          commitWait.compareTo(Duration.ofSeconds(1)) <= 0, "commitWait must be at most 1s, was %s", commitWait);
      this.commitWait = commitWait;
      return this;
    }

    /**
     * Where write completions run (and thus the saga code that follows them, up to the next hop to
     * the orchestrator's executor); default the common fork-join pool. Never the writer thread,
     * unless a direct executor is given (tests).
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Checks.notNull("callbackExecutor", executor);
      return this;
    }

    /** Waits between reconnect attempts; default {@link Scheduler#systemDefault()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Checks.notNull("scheduler", scheduler);
      return this;
    }

    /** Jitter of the reconnect backoff; default {@link RandomSource#system()}. */
    public Builder random(RandomSource random) {
      this.random = Checks.notNull("random", random);
      return this;
    }

    /** Delays between attempts while the database is unavailable; default 50 ms up to 5 s. */
    public Builder reconnectBackoff(Backoff backoff) {
      this.reconnectBackoff = Checks.notNull("reconnectBackoff", backoff);
      return this;
    }

    /** Whether to create and migrate the schema when built; default true. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** The journal; migrates the schema first (fails with SagaJournalException if it cannot). */
    public JdbcSagaJournal build() {
      return new JdbcSagaJournal(this);
    }
  }
}
