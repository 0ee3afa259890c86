package io.orchestra.saga.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.SagaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Claiming sorts its candidates by lease expiry while other threads renew those leases: the sort
 * must work on the values it read, or {@code List.sort} may find its order changing under it and
 * throw ("Comparison method violates its general contract").
 */
class InMemoryClaimRaceTest {
  private static final int SAGAS = 400;

  @Test
  void claimingWhileLeasesAreRenewed_neverFails() throws Exception {
    InMemorySagaJournal journal = InMemorySagaJournal.create();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SAGAS; i++) {
      String id = "saga-" + i;
      ids.add(id);
      journal.create(new SagaRecord(id, "order", 1, SagaStatus.RUNNING, "a", 1, i, 0, 0, 0), List.of())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
    AtomicBoolean claiming = new AtomicBoolean(true);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> renewers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long seed = t;
        renewers.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          go.await();
          while (claiming.get()) {
            String id = ids.get(random.nextInt(SAGAS));
            long epoch = journal.load(id).orElseThrow().record().epoch();
            journal.renewLeases(List.of(new LeaseRef(id, epoch)), random.nextLong(1_000_000));
          }
          return null;
        }));
      }
      Future<?> claimer = pool.submit(() -> {
        go.await();
        try {
          for (int i = 0; i < 3_000; i++) {
            // Node "a" owns them all: every active saga is a candidate, whatever its lease.
            assertThat(journal.claimExpired("a", List.of("order@1"), 0, 2_000_000, 1, true)).hasSize(1);
          }
        } finally {
          claiming.set(false);
        }
        return null;
      });
      go.countDown();
      claimer.get(120, TimeUnit.SECONDS);
      for (Future<?> f : renewers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      claiming.set(false);
      pool.shutdownNow();
    }
  }
}
