package io.orchestra.saga;

import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.SagaJournal;

/** The saga semantics on the in-memory journal. */
class InMemorySagaTest extends SagaContract {
  @Override
  SagaJournal openJournal() {
    return InMemorySagaJournal.create();
  }
}
