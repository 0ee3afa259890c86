package io.orchestra.observability.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one worker per thread, all released together by a latch, and waits for every one. */
public final class Race {
  private Race() {}

  /** The work of thread number {@code thread} (0 to threads - 1). */
  public interface Worker {
    void run(int thread) throws Exception;
  }

  /**
   * Starts {@code threads} threads, releases them at once into {@code worker}, and returns when
   * all are done; rethrows the first failure (as the {@link java.util.concurrent.ExecutionException}
   * {@link Future#get} gives) and fails on a worker still running after 60 seconds.
   */
  public static void run(int threads, Worker worker) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          worker.run(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
