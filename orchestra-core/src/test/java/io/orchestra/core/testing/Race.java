package io.orchestra.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mutators that run a bounded number of changes, and readers that repeat one read for as long as
 * any mutator runs, all started at once. Rethrows the first failure of any thread. Bounded by the
 * mutators' work, not by time: nothing sleeps.
 */
public final class Race {
  private Race() {}

  /** One read; repeated by its thread while the mutators run. */
  public interface Read {
    void once() throws Exception;
  }

  public static void run(List<Callable<Void>> mutators, List<Read> readers) throws Exception {
    int threads = mutators.size() + readers.size();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean moving = new AtomicBoolean(true);
    List<Future<?>> mutating = new ArrayList<>();
    List<Future<?>> reading = new ArrayList<>();
    try {
      for (Callable<Void> m : mutators) {
        mutating.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return m.call();
        }));
      }
      for (Read r : readers) {
        reading.add(pool.submit((Callable<Void>) () -> {
          ready.countDown();
          go.await();
          while (moving.get()) {
            r.once();
          }
          return null;
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> f : mutating) {
        f.get(60, TimeUnit.SECONDS);
      }
      moving.set(false);
      for (Future<?> f : reading) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      moving.set(false);
      pool.shutdownNow();
    }
  }
}
