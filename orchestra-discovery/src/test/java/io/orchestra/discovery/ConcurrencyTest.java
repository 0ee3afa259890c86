package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import io.orchestra.discovery.testing.ScriptedTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrencyTest {

  /**
   * Eight threads pick and report while one thread registers, deregisters, flips health checks
   * and moves time. The churn thread hands out picks in slices around each of its changes and
   * waits for a minimum number per round, so picks overlap every round however the machine
   * schedules the threads (a picker blocks, not spins, when it has no slice).
   */
  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  @DisplayName("eight threads pick while instances churn; a deregistered instance is never picked afterwards")
  void eightThreadsPickWhileInstancesChurn(LoadBalancing lb) throws Exception {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f =
        new Fixture(
            DiscoveryConfig.builder().algorithm(lb).slowStartWindow(Duration.ofSeconds(5)).build(),
            b -> b.transport(transport));
    ServiceInstance[] stable = f.register("svc", 1, 2, 3, 4);
    Set<String> everRegistered = ConcurrentHashMap.newKeySet();
    for (ServiceInstance s : stable) {
      everRegistered.add(s.id());
    }
    f.discovery.discover("svc");

    int threads = 8;
    int rounds = 200;
    int slice = 50; // picks handed out before each of the churn thread's four steps
    int minimumPerRound = 100;
    Semaphore allowed = new Semaphore(0);
    Semaphore made = new Semaphore(0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong picks = new AtomicLong();
    // Deregistration order: an id maps to the number of deregistrations completed with it.
    AtomicLong deregistrations = new AtomicLong();
    Map<String, Long> deregisteredAt = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                int i = 0;
                while (true) {
                  assertThat(allowed.tryAcquire(30, TimeUnit.SECONDS)).as("a slice within 30 s").isTrue();
                  if (stop.get()) {
                    return null;
                  }
                  ClientContext ctx = ClientContext.builder().hashKey("k" + (i++ % 97)).zone(seed % 2 == 0 ? "a" : null).build();
                  long before = deregistrations.get();
                  ServiceInstance s = f.discovery.discover("svc", ctx);
                  assertThat(s.serviceName()).isEqualTo("svc");
                  assertThat(everRegistered).contains(s.id());
                  Long gone = deregisteredAt.get(s.id());
                  assertThat(gone == null || gone > before)
                      .as("%s picked after its deregistration returned", s.id())
                      .isTrue();
                  f.discovery.recordResult(s, i % 50 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000_000L + i % 7);
                  picks.incrementAndGet();
                  made.release();
                }
              }));
    }
    futures.add(
        pool.submit(
            () -> {
              start.await();
              for (int round = 0; round < rounds; round++) {
                ServiceInstance churn =
                    ServiceInstance.builder("churn-" + round, "svc")
                        .address("10.1.0." + (round % 200 + 1), 9000)
                        .zone(round % 2 == 0 ? "a" : "b")
                        .weight(1 + round % 3)
                        .build();
                everRegistered.add(churn.id());
                allowed.release(slice);
                f.discovery.register(churn);
                allowed.release(slice);
                if (round >= 3) {
                  String id = "churn-" + (round - 3);
                  assertThat(f.discovery.deregister(id).success()).isTrue();
                  deregisteredAt.put(id, deregistrations.incrementAndGet());
                }
                allowed.release(slice);
                transport.answer("10.0.0." + (round % 4 + 1), round % 10 == 0 ? 500 : 200);
                allowed.release(slice);
                f.time.advance(Duration.ofMillis(700));
                assertThat(made.tryAcquire(minimumPerRound, 30, TimeUnit.SECONDS))
                    .as("%s picks in round %s within 30 s", minimumPerRound, round)
                    .isTrue();
                allowed.drainPermits();
              }
              stop.set(true);
              allowed.release(threads);
              return null;
            }));
    start.countDown();
    try {
      for (Future<?> fut : futures) {
        fut.get(60, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      allowed.release(threads);
      pool.shutdownNow();
    }
    assertThat(picks.get()).isGreaterThanOrEqualTo((long) rounds * minimumPerRound);
    // Only the last three churned instances are still registered.
    List<ServiceInstance> now = f.discovery.discoverAll("svc", ClientContext.none());
    assertThat(now)
        .extracting(ServiceInstance::id)
        .allMatch(id -> id.startsWith("svc-") || Set.of("churn-197", "churn-198", "churn-199").contains(id))
        .contains("churn-197", "churn-198", "churn-199");
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  @DisplayName("reporting a call outcome does not wait while another thread holds the service's lock")
  void reportingDoesNotWaitForTheServiceLock(LoadBalancing lb) throws Exception {
    Fixture f = new Fixture(DiscoveryConfig.builder().algorithm(lb).build());
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Ejection emits its event while it holds the service's lock: park it there.
    f.telemetry.onEvent =
        e -> {
          if (e.type().equals("discovery.ejection")) {
            inside.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
            }
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> ejecting =
          pool.submit(
              () -> {
                for (int i = 0; i < 3; i++) {
                  f.discovery.recordResult(s[0], CallOutcome.SERVER_ERROR, 1_000_000);
                }
              });
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      // svc-1's first fast success moves its score to another weight bucket.
      Future<?> report = pool.submit(() -> f.discovery.recordResult(s[1], CallOutcome.SUCCESS, 1_000_000));
      // A report that waited for the lock would wait for the release below (up to 30 s): any bound
      // well under that catches it, and 20 s leaves a loaded host time to run the report at all.
      report.get(20, TimeUnit.SECONDS);
      assertThat(f.discovery.status(s[1]).consecutiveSuccesses()).isEqualTo(1);
      release.countDown();
      ejecting.get(10, TimeUnit.SECONDS);
      assertThat(f.discovery.status(s[0]).ejected()).isTrue();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
