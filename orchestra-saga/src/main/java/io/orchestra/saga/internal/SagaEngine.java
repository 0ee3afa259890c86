package io.orchestra.saga.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.ServiceClient;
import io.orchestra.saga.DeadLetter;
import io.orchestra.saga.SagaAlreadyExistsException;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaException;
import io.orchestra.saga.SagaExecution;
import io.orchestra.saga.SagaInfo;
import io.orchestra.saga.SagaNotFoundException;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStateException;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.StoredSaga;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's machinery: definition registry, the sagas this node runs, starting, status,
 * recovery, lease renewal and operator actions. Thread-safe. Not public API; {@link
 * io.orchestra.saga.SagaOrchestrator} is the face of it.
 */
public final class SagaEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);

  final SagaConfig config;
  final String nodeId;
  final Ticker ticker;
  final Clock clock;
  final Scheduler scheduler;
  final RandomSource random;
  final Executor executor;
  final ServiceClient serviceClient;
  final TelemetrySink telemetry;
  final SagaJournal journal;
  final DataCodec dataCodec;
  final StateCodec stateCodec = new StateCodec();
  private final boolean ownsJournal;
  private final ConcurrentHashMap<String, CompiledSaga<?>> registry = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SagaRun<?>> active = new ConcurrentHashMap<>();
  private final Recovery recovery = new Recovery(this);
  private final OperatorActions operators = new OperatorActions(this);
  private volatile boolean started;
  private volatile boolean closed;

  /** Wires the engine; see {@link io.orchestra.saga.SagaOrchestrator.Builder}. */
  public SagaEngine(
      SagaConfig config,
      String nodeId,
      Ticker ticker,
      Clock clock,
      Scheduler scheduler,
      RandomSource random,
      Executor executor,
      ServiceClient serviceClient,
      TelemetrySink telemetry,
      SagaJournal journal,
      boolean ownsJournal,
      DataCodec dataCodec) {
    this.config = config;
    this.nodeId = nodeId;
    this.ticker = ticker;
    this.clock = clock;
    this.scheduler = scheduler;
    this.random = random;
    this.executor = executor;
    this.serviceClient = serviceClient;
    this.telemetry = telemetry;
    this.journal = journal;
    this.ownsJournal = ownsJournal;
    this.dataCodec = dataCodec;
    Tags node = Tags.of("node", nodeId);
    telemetry.gauge("orchestra.saga.active", node, active::size);
    telemetry.gauge("orchestra.saga.stuck", node, this::stuckCount);
  }

  // ---------------------------------------------------------------- registry

  /** Registers {@code definition}, or returns the registration of an identical one. */
  @SuppressWarnings("unchecked")
  public <D> void register(SagaDefinition<D> definition) {
    compiled(definition);
  }

  @SuppressWarnings("unchecked")
  private <D> CompiledSaga<D> compiled(SagaDefinition<D> definition) {
    Checks.notNull("definition", definition);
    CompiledSaga<?> existing = registry.get(definition.key()); // the common case: registered
    if (existing == null) {
      existing =
          registry.computeIfAbsent(
              definition.key(),
              k -> new CompiledSaga<>(definition, config, new SagaMetrics(telemetry, definition)));
    }
    if (existing.definition != definition && !existing.sameShape(definition)) {
      throw new IllegalArgumentException(
          "saga definition "
              + definition.key()
              + " is already registered with different steps; give the changed definition a new version");
    }
    return (CompiledSaga<D>) existing;
  }

  /** The registered definition keys. */
  public Set<String> definitionKeys() {
    return Set.copyOf(registry.keySet());
  }

  // ---------------------------------------------------------------- execute

  /** Starts a saga; see {@link io.orchestra.saga.SagaOrchestrator#execute}. */
  public <D> SagaExecution<D> execute(SagaDefinition<D> definition, D data, String sagaId) {
    checkOpen();
    CompiledSaga<D> saga = compiled(definition);
    Checks.notNull("data", data);
    if (!definition.dataType().isInstance(data)) { // checked first: the message's arguments cost
      throw new IllegalArgumentException(
          "data is a " + data.getClass().getName() + ", definition " + definition.key()
              + " expects " + definition.dataType().getName());
    }
    String json = dataCodec.write(data);
    D copy = dataCodec.read(json, definition.dataType()); // proves a recovered saga can read it
    String id;
    if (sagaId == null) {
      id = Ids.next(random);
    } else {
      Checks.notBlank("sagaId", sagaId);
      Checks.argument(sagaId.length() <= 128, "sagaId must be at most 128 characters, was %s", sagaId.length());
      id = sagaId;
    }
    long now = clock.millis();
    StateCodec.StartHeader header =
        new StateCodec.StartHeader(
            definition.name(),
            definition.version(),
            saga.stepNames,
            now + config.execution().timeout().toMillis(),
            nodeId);
    SagaEvent started =
        new SagaEvent(id, 1, SagaEventType.SAGA_STARTED, now, -1, 0, null, json, stateCodec.writeHeader(header));
    SagaState state = new SagaState();
    state.start(started, header);
    SagaRun<D> run = new SagaRun<>(this, saga, state, 1, copy);
    if (active.putIfAbsent(id, run) != null) {
      throw new SagaAlreadyExistsException(id);
    }
    SagaRecord record =
        new SagaRecord(
            id,
            definition.name(),
            definition.version(),
            SagaStatus.RUNNING,
            nodeId,
            1,
            now + config.recovery().leaseDuration().toMillis(),
            1,
            now,
            now);
    CompletableFuture<Void> created = journal.create(record, List.of(started)).toCompletableFuture();
    if (created.isDone() && !created.isCompletedExceptionally()) {
      saga.metrics.started.increment();
      run.loop();
    } else {
      created.whenComplete(
          (v, e) -> {
            if (e != null) {
              // Refused (a duplicate id) or not stored: the saga never started.
              active.remove(id, run);
              run.result.completeExceptionally(CallOutcome.unwrap(e));
            } else {
              saga.metrics.started.increment();
              run.loop();
            }
          });
    }
    return new SagaExecution<>(id, run.result);
  }

  void deactivate(SagaRun<?> run) {
    active.remove(run.sagaId(), run);
  }

  // ---------------------------------------------------------------- queries

  /** See {@link io.orchestra.saga.SagaOrchestrator#getSagaStatus}. */
  public SagaInfo status(String sagaId) {
    Checks.notNull("sagaId", sagaId);
    SagaRun<?> run = active.get(sagaId);
    if (run != null) {
      return run.read(s -> Views.info(s, true));
    }
    Optional<StoredSaga> stored = journal.load(sagaId);
    if (stored.isEmpty()) {
      return SagaInfo.notFound(sagaId);
    }
    return Views.info(stateCodec.rebuild(stored.get()), false);
  }

  /** See {@link io.orchestra.saga.SagaOrchestrator#result}. */
  public CompletableFuture<SagaResult<?>> resultOf(String sagaId) {
    SagaRun<?> run = active.get(sagaId);
    if (run != null) {
      return run.result.thenApply(r -> r);
    }
    Optional<StoredSaga> stored = journal.load(sagaId);
    if (stored.isEmpty()) {
      return CompletableFuture.failedFuture(new SagaNotFoundException(sagaId));
    }
    SagaState state = stateCodec.rebuild(stored.get());
    if (state.status.isActive()) {
      return CompletableFuture.failedFuture(
          new SagaStateException(
              "saga " + sagaId + " is " + state.status.wireName() + " on node "
                  + stored.get().record().ownerNode() + ", not here"));
    }
    CompiledSaga<?> saga = registry.get(stored.get().record().definitionKey());
    Object data = saga == null ? null : dataCodec.read(state.dataJson, saga.definition.dataType());
    return CompletableFuture.completedFuture(Views.result(state, data));
  }

  /** See {@link io.orchestra.saga.SagaOrchestrator#deadLetters}. */
  public List<DeadLetter> deadLetters(int limit) {
    Checks.positive("limit", limit);
    List<DeadLetter> out = new ArrayList<>();
    for (SagaRecord r :
        journal.find(EnumSet.of(SagaStatus.COMPENSATION_FAILED, SagaStatus.FAILED), limit)) {
      // find and load are two reads: an operator may have retried the saga in between. Its dead
      // letters come from the loaded state alone, and only while that state is still parked.
      journal.load(r.sagaId()).ifPresent(s -> {
        SagaState state = stateCodec.rebuild(s);
        if (state.status.isParked()) {
          out.addAll(Views.deadLetters(state));
        }
      });
    }
    return out;
  }

  /** Sagas this node is running. */
  public int activeCount() {
    return active.size();
  }

  /** Running sagas without progress for longer than the stuck threshold. */
  public int stuckCount() {
    long now = ticker.read();
    long threshold = config.recovery().stuckThreshold().toNanos();
    int n = 0;
    for (SagaRun<?> run : active.values()) {
      if (now - run.lastProgressNanos() > threshold) {
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- recovery and operators

  /** Claims and resumes expired sagas once; returns how many were claimed. */
  public int recoverNow(boolean includeOwn) {
    return closed ? 0 : recovery.recoverNow(includeOwn);
  }

  /** Extends the leases of the sagas this node runs; stops those it lost. */
  public void renewLeases() {
    recovery.renewLeases();
  }

  /** Starts recovery and lease renewal; the first recovery runs now, on the caller's thread. */
  public synchronized int start() {
    checkOpen();
    if (started || !config.persistence().enabled()) {
      return 0;
    }
    started = true;
    return recovery.start();
  }

  /** Applies an operator action to dead-lettered steps of a parked saga. */
  public CompletableFuture<SagaResult<?>> operate(
      String sagaId, String stepName, OperatorAction action, String note) {
    checkOpen();
    Checks.notNull("sagaId", sagaId);
    return operators.operate(sagaId, stepName, action, note);
  }

  CompiledSaga<?> compiled(String definitionKey) {
    return registry.get(definitionKey);
  }

  boolean isRunningHere(String sagaId) {
    return active.containsKey(sagaId);
  }

  /** Makes {@code run} this node's run of its saga unless one exists. */
  boolean activate(SagaRun<?> run) {
    return active.putIfAbsent(run.sagaId(), run) == null;
  }

  /** Makes {@code run} this node's run of its saga; returns the run it replaced. */
  SagaRun<?> replace(SagaRun<?> run) {
    return active.put(run.sagaId(), run);
  }

  List<SagaRun<?>> runs() {
    return List.copyOf(active.values());
  }

  void dispatch(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      log.warn("executor rejected saga work: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("saga orchestrator " + nodeId + " is closed");
    }
  }

  /**
   * Stops timers and the sagas this node runs, releasing their leases so another node (or this
   * one after a restart) resumes them at once; closes the journal if the engine created it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    recovery.stop();
    for (SagaRun<?> run : List.copyOf(active.values())) {
      long epoch = run.epoch();
      run.stop(new SagaException("saga orchestrator " + nodeId + " closed; the saga resumes on recovery"));
      try {
        journal.append(new SagaAppend(run.sagaId(), epoch, List.of(), null, null, false, true));
      } catch (RuntimeException e) {
        log.debug("lease release of {} failed: {}", run.sagaId(), e.toString());
      }
    }
    if (ownsJournal) {
      journal.close();
    }
  }
}
