package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;
import io.orchestra.saga.SagaAlreadyExistsException;
import io.orchestra.saga.SagaLeaseLostException;
import io.orchestra.saga.SagaNotFoundException;
import io.orchestra.saga.SagaStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A journal in memory, with the same semantics as the durable ones (atomic writes, fencing,
 * leases, snapshots), for tests and for orchestrators with persistence disabled. Writes complete
 * at once. Thread-safe: each saga is guarded by its own monitor.
 *
 * <p>{@link #bounded(int)} forgets the oldest completed and compensated sagas beyond a limit, so a
 * long-running process (or a benchmark) does not grow without bound; sagas in the dead-letter list
 * are never forgotten.
 */
public final class InMemorySagaJournal implements SagaJournal {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final ConcurrentHashMap<String, Entry> sagas = new ConcurrentHashMap<>();
  private final int maxFinished;
  private final ArrayDeque<String> finished = new ArrayDeque<>();

  private InMemorySagaJournal(int maxFinished) {
    this.maxFinished = maxFinished;
  }

  /** A journal that keeps everything. */
  public static InMemorySagaJournal create() {
    return new InMemorySagaJournal(Integer.MAX_VALUE);
  }

  /** A journal that keeps at most {@code maxFinished} completed or compensated sagas. */
  public static InMemorySagaJournal bounded(int maxFinished) {
    return new InMemorySagaJournal(Checks.positive("maxFinished", maxFinished));
  }

  /** How many sagas are stored. */
  public int size() {
    return sagas.size();
  }

  @Override
  public CompletionStage<Void> create(SagaRecord record, List<SagaEvent> events) {
    Entry entry = new Entry(record);
    entry.events.addAll(events);
    if (sagas.putIfAbsent(record.sagaId(), entry) != null) {
      return CompletableFuture.failedFuture(new SagaAlreadyExistsException(record.sagaId()));
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> append(SagaAppend append) {
    Entry entry = sagas.get(append.sagaId());
    if (entry == null) {
      return CompletableFuture.failedFuture(new SagaNotFoundException(append.sagaId()));
    }
    boolean nowFinal;
    synchronized (entry) {
      SagaRecord r = entry.record;
      if (r.epoch() != append.epoch()) {
        return CompletableFuture.failedFuture(
            new SagaLeaseLostException(append.sagaId(), append.epoch()));
      }
      entry.events.addAll(append.events());
      SagaStatus status = append.status() != null ? append.status() : r.status();
      boolean release = !status.isActive();
      long updated = append.events().isEmpty() ? r.updatedAtMillis() : append.lastTimestamp();
      entry.record =
          new SagaRecord(
              r.sagaId(),
              r.definitionName(),
              r.definitionVersion(),
              status,
              release ? null : r.ownerNode(),
              r.epoch(),
              release || append.releaseLease() ? 0 : r.leaseExpiresAtMillis(),
              append.events().isEmpty() ? r.lastSeq() : append.lastSeq(),
              r.createdAtMillis(),
              updated);
      if (append.snapshot() != null) {
        entry.snapshot = append.snapshot();
        if (append.pruneToSnapshot()) {
          long upTo = append.snapshot().seq();
          entry.events.removeIf(e -> e.seq() <= upTo);
        }
      }
      nowFinal = status.isFinal() && (r.status() != status);
    }
    if (nowFinal && maxFinished != Integer.MAX_VALUE) {
      forgetOldFinished(append.sagaId());
    }
    return DONE;
  }

  private void forgetOldFinished(String sagaId) {
    synchronized (finished) {
      finished.addLast(sagaId);
      while (finished.size() > maxFinished) {
        sagas.remove(finished.pollFirst());
      }
    }
  }

  @Override
  public Optional<StoredSaga> load(String sagaId) {
    Entry entry = sagas.get(sagaId);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      List<SagaEvent> tail = new ArrayList<>();
      long after = entry.snapshot == null ? 0 : entry.snapshot.seq();
      for (SagaEvent e : entry.events) {
        if (e.seq() > after) {
          tail.add(e);
        }
      }
      return Optional.of(new StoredSaga(entry.record, entry.snapshot, tail));
    }
  }

  @Override
  public List<SagaEvent> history(String sagaId) {
    Entry entry = sagas.get(sagaId);
    if (entry == null) {
      return List.of();
    }
    synchronized (entry) {
      return List.copyOf(entry.events);
    }
  }

  @Override
  public List<SagaRecord> claimExpired(
      String nodeId,
      Collection<String> definitionKeys,
      long nowMillis,
      long leaseUntilMillis,
      int limit,
      boolean includeOwn) {
    Set<String> keys = new HashSet<>(definitionKeys);
    // Sorted by the lease expiry read here, not by each entry's current record: renewals change
    // records during the sort, and a sort whose keys move under it may throw ("Comparison method
    // violates its general contract"). Each candidate is checked again under its lock below.
    List<Candidate> candidates = new ArrayList<>();
    for (Entry e : sagas.values()) {
      SagaRecord r = e.record;
      if (r.status().isActive()
          && keys.contains(r.definitionKey())
          && (r.leaseExpiresAtMillis() < nowMillis || (includeOwn && nodeId.equals(r.ownerNode())))) {
        candidates.add(new Candidate(e, r.leaseExpiresAtMillis()));
      }
    }
    candidates.sort(Comparator.comparingLong(Candidate::leaseExpiresAtMillis));
    List<SagaRecord> claimed = new ArrayList<>();
    for (Candidate c : candidates) {
      if (claimed.size() >= limit) {
        break;
      }
      Entry e = c.entry();
      synchronized (e) {
        SagaRecord r = e.record;
        boolean eligible =
            r.status().isActive()
                && (r.leaseExpiresAtMillis() < nowMillis
                    || (includeOwn && nodeId.equals(r.ownerNode())));
        if (eligible) {
          e.record = withLease(r, nodeId, leaseUntilMillis, r.epoch() + 1);
          claimed.add(e.record);
        }
      }
    }
    return claimed;
  }

  /** A saga eligible for claiming, with the lease expiry it was found with (the sort key). */
  private record Candidate(Entry entry, long leaseExpiresAtMillis) {}

  @Override
  public Optional<SagaRecord> acquire(
      String sagaId, String nodeId, long nowMillis, long leaseUntilMillis) {
    Entry e = sagas.get(sagaId);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e) {
      SagaRecord r = e.record;
      boolean free =
          r.ownerNode() == null
              || r.leaseExpiresAtMillis() < nowMillis
              || r.ownerNode().equals(nodeId);
      if (!free) {
        return Optional.empty();
      }
      e.record = withLease(r, nodeId, leaseUntilMillis, r.epoch() + 1);
      return Optional.of(e.record);
    }
  }

  @Override
  public Set<String> renewLeases(Collection<LeaseRef> leases, long leaseUntilMillis) {
    Set<String> lost = new HashSet<>();
    for (LeaseRef ref : leases) {
      Entry e = sagas.get(ref.sagaId());
      if (e == null) {
        lost.add(ref.sagaId());
        continue;
      }
      synchronized (e) {
        SagaRecord r = e.record;
        if (r.epoch() != ref.epoch() || !r.status().isActive()) {
          lost.add(ref.sagaId());
        } else {
          e.record = withLease(r, r.ownerNode(), leaseUntilMillis, r.epoch());
        }
      }
    }
    return lost;
  }

  @Override
  public List<SagaRecord> find(Set<SagaStatus> statuses, int limit) {
    List<SagaRecord> found = new ArrayList<>();
    for (Entry e : sagas.values()) {
      SagaRecord r = e.record;
      if (statuses.contains(r.status())) {
        found.add(r);
      }
    }
    found.sort(Comparator.comparingLong(SagaRecord::updatedAtMillis));
    return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
  }

  @Override
  public void close() {}

  private static SagaRecord withLease(SagaRecord r, String owner, long until, long epoch) {
    return new SagaRecord(
        r.sagaId(),
        r.definitionName(),
        r.definitionVersion(),
        r.status(),
        owner,
        epoch,
        until,
        r.lastSeq(),
        r.createdAtMillis(),
        r.updatedAtMillis());
  }

  @Override
  public String toString() {
    return "InMemorySagaJournal[" + sagas.size() + " sagas]";
  }

  private static final class Entry {
    volatile SagaRecord record;
    final List<SagaEvent> events = new ArrayList<>();
    SagaSnapshot snapshot;

    Entry(SagaRecord record) {
      this.record = record;
    }
  }
}
