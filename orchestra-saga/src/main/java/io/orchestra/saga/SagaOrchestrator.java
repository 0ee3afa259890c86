package io.orchestra.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.ServiceClient;
import io.orchestra.saga.internal.DataCodec;
import io.orchestra.saga.internal.SagaEngine;
import io.orchestra.saga.internal.OperatorAction;
import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.SagaJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs sagas: executes their steps in order, compensates completed steps in reverse when one
 * fails, records every state change in a {@link SagaJournal}, and resumes sagas of dead nodes.
 * The seed's {@code SagaOrchestrator}. Thread-safe.
 *
 * <pre>{@code
 * SagaOrchestrator orchestrator = SagaOrchestrator.builder()
 *     .nodeId("orders-1")
 *     .journal(JdbcSagaJournal.postgres(dataSource))
 *     .serviceClient(trafficManager)          // or DirectServiceClient.of(transport, endpoints)
 *     .register(placeOrder)
 *     .build();
 * orchestrator.start();                       // take over sagas of dead nodes, now and periodically
 * SagaExecution<Order> saga = orchestrator.execute(placeOrder, new Order("o-1", 42));
 * saga.result().thenAccept(r -> log.info("{} ended {}", r.sagaId(), r.status()));
 * SagaInfo info = orchestrator.getSagaStatus(saga.sagaId());
 * }</pre>
 *
 * <p>Several nodes may share one journal (PostgreSQL): each saga is driven by the node holding its
 * lease; a node that dies loses its leases when they expire and a started node takes the sagas
 * over, fenced by an epoch so that the old owner can no longer write.
 */
public final class SagaOrchestrator implements AutoCloseable {
  private final SagaEngine engine;
  private final ExecutorService ownedExecutor;

  private SagaOrchestrator(SagaEngine engine, ExecutorService ownedExecutor) {
    this.engine = engine;
    this.ownedExecutor = ownedExecutor;
  }

  /** A builder; every port has a production default except the journal's location. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers a definition so that sagas started under it can be recovered on this node. {@link
   * #execute} registers its definition itself; register every version whose sagas may still be
   * running. Registering another definition with the same name and version but different steps
   * fails.
   */
  public SagaOrchestrator register(SagaDefinition<?> definition) {
    engine.register(definition);
    return this;
  }

  /**
   * Starts a saga with a generated id. The initial data is written to JSON and read back first;
   * data that cannot make that round trip fails here with {@link SagaDataException} and nothing is
   * written. Returns at once (or after the whole saga when every step and the journal complete
   * synchronously).
   */
  public <D> SagaExecution<D> execute(SagaDefinition<D> definition, D data) {
    return engine.execute(definition, data, null);
  }

  /**
   * Starts a saga with the caller's id (at most 128 characters), for example a business key that
   * makes a repeated start harmless: a second start of the same id fails with {@link
   * SagaAlreadyExistsException} (through the result when the journal finds the duplicate).
   */
  public <D> SagaExecution<D> execute(SagaDefinition<D> definition, D data, String sagaId) {
    Checks.notNull("sagaId", sagaId);
    return engine.execute(definition, data, sagaId);
  }

  /**
   * The status of a saga: from memory while this node runs it, otherwise rebuilt from the
   * journal's latest snapshot and the events after it (which may block on the database). An
   * unknown id gives {@link SagaStatus#NOT_FOUND}, as in the seed.
   */
  public SagaInfo getSagaStatus(String sagaId) {
    return engine.status(sagaId);
  }

  /**
   * The outcome of a saga: the live result while this node runs it, the recorded outcome when it
   * has ended. Fails with {@link SagaNotFoundException} for an unknown id and {@link
   * SagaStateException} when another node is running it.
   */
  public CompletionStage<SagaResult<?>> result(String sagaId) {
    return engine.resultOf(sagaId);
  }

  /**
   * The dead-letter list: steps of parked sagas waiting for an operator, oldest first.
   *
   * <p>Safe to call while sagas run and operators act: each saga's dead letters come from one
   * state of it, read in one journal snapshot, and only while that state is parked. A saga that an
   * operator retries, skips or resolves between the journal's listing and that read is left out
   * rather than listed with half of its dead letters.
   *
   * @param limit the most parked sagas ({@code COMPENSATION_FAILED} or {@code FAILED}, oldest update
   *     first) to look at; a saga may contribute several dead letters, and a {@code FAILED} saga
   *     without one (compensation disabled) contributes none but still counts
   */
  public List<DeadLetter> deadLetters(int limit) {
    return engine.deadLetters(limit);
  }

  /**
   * Runs the dead-lettered steps of a parked saga again (each with the same idempotency key as
   * before), recording an {@code OPERATOR_RETRY} event. {@code stepName} null retries all of them.
   * The result completes when the saga ends or parks again.
   *
   * @throws SagaNotFoundException for an unknown id
   * @throws SagaStateException when the saga is not parked, has no such dead letter, or another
   *     node holds its lease
   */
  public CompletionStage<SagaResult<?>> retry(String sagaId, String stepName) {
    return engine.operate(sagaId, stepName, OperatorAction.RETRY, null);
  }

  /**
   * Gives up on one dead-lettered step ({@code OPERATOR_SKIPPED}): a compensation is left undone,
   * a retry-only step is passed over and the saga continues after it.
   */
  public CompletionStage<SagaResult<?>> skip(String sagaId, String stepName, String note) {
    Checks.notNull("stepName", stepName);
    return engine.operate(sagaId, stepName, OperatorAction.SKIP, note);
  }

  /**
   * Records that an operator handled one dead-lettered step by hand ({@code OPERATOR_RESOLVED});
   * the saga then continues as if the step had succeeded.
   */
  public CompletionStage<SagaResult<?>> resolve(String sagaId, String stepName, String note) {
    Checks.notNull("stepName", stepName);
    return engine.operate(sagaId, stepName, OperatorAction.RESOLVE, note);
  }

  /**
   * Takes over sagas whose owner's lease has expired (and sagas still leased to this node id from
   * a previous life) and resumes them, then keeps renewing this node's leases and looking for
   * expired sagas periodically. Does nothing when persistence is disabled.
   *
   * @return how many sagas the first look took over
   */
  public int start() {
    return engine.start();
  }

  /** Looks for expired sagas once, now; returns how many were taken over. */
  public int recoverNow() {
    return engine.recoverNow(false);
  }

  /** Renews the leases of the sagas this node runs, now. */
  public void renewLeases() {
    engine.renewLeases();
  }

  /** How many sagas this node is running. */
  public int activeSagas() {
    return engine.activeCount();
  }

  /** How many of them made no progress for longer than the stuck threshold. */
  public int stuckSagas() {
    return engine.stuckCount();
  }

  /**
   * Stops timers and the sagas this node runs (their results fail with {@link SagaException}),
   * releases their leases so that a live node resumes them at once, and closes the journal and
   * executor if the orchestrator created them.
   */
  @Override
  public void close() {
    engine.close();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  /** Builds a {@link SagaOrchestrator}; not thread-safe. */
  public static final class Builder {
    private SagaConfig config = SagaConfig.defaults();
    private String nodeId;
    private Ticker ticker = Ticker.system();
    private java.time.Clock clock = Clocks.system();
    private Scheduler scheduler = Scheduler.systemDefault();
    private RandomSource random = RandomSource.system();
    private Executor executor;
    private ServiceClient serviceClient;
    private TelemetrySink telemetry = TelemetrySink.noop();
    private SagaJournal journal;
    private Path embeddedDirectory = Path.of("orchestra-saga-journal");
    private ObjectMapper objectMapper;
    private final List<SagaDefinition<?>> definitions = new ArrayList<>();

    private Builder() {}

    /** The configuration; default {@link SagaConfig#defaults()}. */
    public Builder config(SagaConfig config) {
      this.config = Checks.notNull("config", config);
      return this;
    }

    /**
     * This node's id, unique among live nodes sharing a journal; default a random id. A node
     * restarting under its old id takes its sagas back at once on {@link #start()}.
     */
    public Builder nodeId(String nodeId) {
      Checks.notBlank("nodeId", nodeId);
      Checks.argument(nodeId.length() <= 200, "nodeId must be at most 200 characters, was %s", nodeId.length());
      this.nodeId = nodeId;
      return this;
    }

    /** Monotonic time (latencies, stuck detection); default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Checks.notNull("ticker", ticker);
      return this;
    }

    /** Wall time (events, deadlines, leases); default {@link Clocks#system()}. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Checks.notNull("clock", clock);
      return this;
    }

    /** Timeouts, backoff and periodic work; default {@link Scheduler#systemDefault()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Checks.notNull("scheduler", scheduler);
      return this;
    }

    /** Jitter and saga ids; default {@link RandomSource#system()}. */
    public Builder random(RandomSource random) {
      this.random = Checks.notNull("random", random);
      return this;
    }

    /**
     * Where steps, compensations, recovery and lease renewal run; default a cached pool of daemon
     * threads owned (and shut down) by the orchestrator. Steps may block.
     */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull("executor", executor);
      return this;
    }

    /** How service-call steps reach services (orchestra-mesh's traffic manager); default none. */
    public Builder serviceClient(ServiceClient serviceClient) {
      this.serviceClient = Checks.notNull("serviceClient", serviceClient);
      return this;
    }

    /** Metrics and events; default {@link TelemetrySink#noop()}. */
    public Builder telemetry(TelemetrySink telemetry) {
      this.telemetry = Checks.notNull("telemetry", telemetry);
      return this;
    }

    /**
     * The journal; default an {@link EmbeddedSagaJournal} (H2) in {@link
     * #embeddedDirectory(Path)}, created and closed by the orchestrator. A journal given here is
     * not closed by the orchestrator.
     */
    public Builder journal(SagaJournal journal) {
      this.journal = Checks.notNull("journal", journal);
      return this;
    }

    /** Directory of the default embedded journal; default {@code ./orchestra-saga-journal}. */
    public Builder embeddedDirectory(Path directory) {
      this.embeddedDirectory = Checks.notNull("embeddedDirectory", directory);
      return this;
    }

    /** The Jackson mapper for saga data; default Jackson defaults ignoring unknown properties. */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.objectMapper = Checks.notNull("objectMapper", objectMapper);
      return this;
    }

    /** Registers a definition at build time; see {@link SagaOrchestrator#register}. */
    public Builder register(SagaDefinition<?> definition) {
      definitions.add(Checks.notNull("definition", definition));
      return this;
    }

    /** The orchestrator (not started: call {@link SagaOrchestrator#start()} to recover). */
    public SagaOrchestrator build() {
      String node = nodeId != null ? nodeId : "node-" + Long.toHexString(random.nextLong());
      ExecutorService owned = null;
      Executor exec = executor;
      if (exec == null) {
        AtomicInteger n = new AtomicInteger();
        owned =
            Executors.newCachedThreadPool(
                r -> {
                  Thread t = new Thread(r, "orchestra-saga-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
        exec = owned;
      }
      SagaJournal j = journal;
      boolean ownsJournal = false;
      if (!config.persistence().enabled()) {
        j = InMemorySagaJournal.bounded(10_000);
        ownsJournal = true;
      } else if (j == null) {
        j = EmbeddedSagaJournal.open(embeddedDirectory);
        ownsJournal = true;
      }
      DataCodec codec = new DataCodec(objectMapper != null ? objectMapper : DataCodec.defaultMapper());
      SagaEngine engine =
          new SagaEngine(
              config, node, ticker, clock, scheduler, random, exec, serviceClient, telemetry, j,
              ownsJournal, codec);
      SagaOrchestrator orchestrator = new SagaOrchestrator(engine, owned);
      definitions.forEach(orchestrator::register);
      return orchestrator;
    }
  }
}
