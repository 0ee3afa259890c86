package io.orchestra.saga.testing;

import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.LeaseRef;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.StoredSaga;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node's view of the shared journal and scheduler that can be cut off, as if the process died:
 * after {@link #kill()} its writes never complete and its timers never fire.
 */
public final class Killable implements SagaJournal {
  private final SagaJournal journal;
  private final Scheduler scheduler;
  private volatile boolean dead;

  public Killable(SagaJournal journal, Scheduler scheduler) {
    this.journal = journal;
    this.scheduler = scheduler;
  }

  public void kill() {
    dead = true;
  }

  public Scheduler scheduler() {
    return (task, delay) -> scheduler.schedule(() -> {
      if (!dead) {
        task.run();
      }
    }, delay);
  }

  @Override
  public CompletionStage<Void> create(SagaRecord record, List<SagaEvent> events) {
    return dead ? new CompletableFuture<>() : journal.create(record, events);
  }

  @Override
  public CompletionStage<Void> append(SagaAppend append) {
    return dead ? new CompletableFuture<>() : journal.append(append);
  }

  @Override
  public Optional<StoredSaga> load(String sagaId) {
    return journal.load(sagaId);
  }

  @Override
  public List<SagaEvent> history(String sagaId) {
    return journal.history(sagaId);
  }

  @Override
  public List<SagaRecord> claimExpired(String nodeId, Collection<String> keys, long now, long until, int limit, boolean own) {
    return dead ? List.of() : journal.claimExpired(nodeId, keys, now, until, limit, own);
  }

  @Override
  public Optional<SagaRecord> acquire(String sagaId, String nodeId, long now, long until) {
    return journal.acquire(sagaId, nodeId, now, until);
  }

  @Override
  public Set<String> renewLeases(Collection<LeaseRef> leases, long until) {
    return dead ? Set.of() : journal.renewLeases(leases, until);
  }

  @Override
  public List<SagaRecord> find(Set<SagaStatus> statuses, int limit) {
    return journal.find(statuses, limit);
  }

  @Override
  public void close() {}
}
