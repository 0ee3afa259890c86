package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued write of a {@link GroupCommitWriter}: the creation of a saga (a record and its first
 * events) or a fenced append, and the future its caller waits on. Made on the caller's thread and
 * handed to the writer thread through the writer's queue; from then on only the writer thread
 * touches it, until {@link Completions} completes its future on the callback executor. Not public
 * API.
 */
final class WriteOp {
  /** Tells the writer thread to stop (queued by {@link GroupCommitWriter#close}). */
  static final WriteOp STOP = new WriteOp(null, List.of(), null);

  /** The saga to create, or null for an append. */
  final SagaRecord record;
  final List<SagaEvent> events;
  /** The append, or null for a creation. */
  final SagaAppend append;
  final CompletableFuture<Void> future = new CompletableFuture<>();
  boolean failed; // set on the writer thread, before the future completes elsewhere
  /** Handed to the callback executor; set on the writer thread, which alone reads it. */
  boolean completed;

  WriteOp(SagaRecord record, List<SagaEvent> events, SagaAppend append) {
    this.record = record;
    this.events = events;
    this.append = append;
  }

  String sagaId() {
    return record != null ? record.sagaId() : append.sagaId();
  }

  long lastSeq() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
  }
}
