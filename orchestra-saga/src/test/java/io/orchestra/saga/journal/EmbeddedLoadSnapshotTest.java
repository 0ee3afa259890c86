package io.orchestra.saga.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.testing.Race;
import io.orchestra.saga.SagaStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load} on the embedded H2 journal reads three tables (row, snapshot, events) in three
 * statements; they must all see one committed state. Writers push steps of many sagas through the
 * real group-commit writer (each round of a writer is one commit or a few, shared by its sagas)
 * while readers load random sagas and count every load that mixes two states. Driven through the
 * journal alone, so the races are as tight as the writer allows; bounded by rounds, not by time.
 *
 * <p>Evidence: while the reader used REPEATABLE READ on H2 2.3.232 this counted 54 to 68 mixed
 * loads in each run of 20 000 to 34 000 (the row from before a commit, the snapshot or events from
 * after it); under H2's SNAPSHOT level it counts none. See docs/saga.md.
 */
class EmbeddedLoadSnapshotTest {
  static final int WRITERS = 4;
  static final int SAGAS_PER_WRITER = 8;
  static final int ROUNDS = 150;
  static final int READERS = 2;

  @TempDir Path dir;

  @Test
  void everyLoadSeesOneCommittedState() throws Exception {
    try (JdbcSagaJournal journal = EmbeddedSagaJournal.open(dir, b -> b.callbackExecutor(Runnable::run))) {
      List<String> ids = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        for (int s = 0; s < SAGAS_PER_WRITER; s++) {
          String id = "saga-" + w + "-" + s;
          ids.add(id);
          journal.create(record(id), List.of(event(id, 1))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
      AtomicLong loads = new AtomicLong();
      ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
      List<Callable<Void>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        List<String> mine = ids.subList(w * SAGAS_PER_WRITER, (w + 1) * SAGAS_PER_WRITER);
        writers.add(() -> {
          writeRounds(journal, mine);
          return null;
        });
      }
      List<Race.Read> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        readers.add(() -> {
          String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
          Optional<StoredSaga> stored = journal.load(id);
          loads.incrementAndGet();
          String problem = stored.isPresent() ? inconsistency(stored.get()) : "saga " + id + " not found";
          if (problem != null) {
            mixed.add(problem);
          }
        });
      }
      Race.run(writers, readers);
      Map<String, Long> byKind = new TreeMap<>();
      for (String m : mixed) {
        byKind.merge(m.replaceAll("[0-9]+", "N"), 1L, Long::sum);
      }
      System.out.printf("EmbeddedLoadSnapshotTest: %d loads, %d mixed %s%n", loads.get(), mixed.size(), byKind);
      assertThat(loads.get()).isPositive();
      assertThat(mixed).as("%d of %d loads mixed two states: %s", mixed.size(), loads.get(), byKind).isEmpty();
    }
  }

  /**
   * Each round appends two events to each saga, every other round with a snapshot at the last of
   * them; odd sagas prune the events the snapshot covers (event sourcing off). A round's appends
   * are issued together so that the group-commit writer takes them into one transaction.
   */
  static void writeRounds(JdbcSagaJournal journal, List<String> sagas) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      long first = 2L + 2L * round;
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < sagas.size(); i++) {
        String id = sagas.get(i);
        SagaSnapshot snapshot = round % 2 == 1 ? new SagaSnapshot(id, first + 1, "{\"seq\":" + (first + 1) + "}", 0) : null;
        boolean prune = snapshot != null && i % 2 == 1;
        SagaAppend append = new SagaAppend(
            id, 1, List.of(event(id, first), event(id, first + 1)), null, snapshot, prune, false);
        done.add(journal.append(append).toCompletableFuture());
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
  }

  /** What is wrong with {@code s} as one committed state of a saga, or null when nothing is. */
  static String inconsistency(StoredSaga s) {
    long lastSeq = s.record().lastSeq();
    long after = s.snapshot() == null ? 0 : s.snapshot().seq();
    if (after > lastSeq) {
      return "snapshot at " + after + " newer than the row's last_seq " + lastSeq + ": " + s.record().sagaId();
    }
    if (s.snapshot() == null && lastSeq >= 5) {
      return "no snapshot though last_seq is " + lastSeq + ": " + s.record().sagaId(); // the first is at 5
    }
    for (int k = 0; k < s.events().size(); k++) {
      if (s.events().get(k).seq() != after + k + 1) {
        return "events after " + after + " not contiguous: " + s.events();
      }
    }
    long last = s.events().isEmpty() ? after : s.events().get(s.events().size() - 1).seq();
    if (last != lastSeq) {
      return "row's last_seq " + lastSeq + " but last event " + last + " (snapshot " + after + "): "
          + s.record().sagaId();
    }
    return null;
  }

  static SagaRecord record(String id) {
    return new SagaRecord(id, "race", 1, SagaStatus.RUNNING, "node", 1, Long.MAX_VALUE, 1, 0, 0);
  }

  static SagaEvent event(String id, long seq) {
    return new SagaEvent(id, seq, seq == 1 ? SagaEventType.SAGA_STARTED : SagaEventType.STEP_COMPLETED, seq, 0, 1, null, null, null);
  }
}
