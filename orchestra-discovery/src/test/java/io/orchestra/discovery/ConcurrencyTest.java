package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import io.orchestra.discovery.testing.ScriptedTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrencyTest {

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
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
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong picks = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                int i = 0;
                while (!stop.get()) {
                  ClientContext ctx = ClientContext.builder().hashKey("k" + (i++ % 97)).zone(seed % 2 == 0 ? "a" : null).build();
                  ServiceInstance s = f.discovery.discover("svc", ctx);
                  assertThat(s.serviceName()).isEqualTo("svc");
                  assertThat(everRegistered).contains(s.id());
                  f.discovery.recordResult(s, i % 50 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000_000L + i % 7);
                  picks.incrementAndGet();
                }
                return null;
              }));
    }
    futures.add(
        pool.submit(
            () -> {
              start.await();
              for (int round = 0; round < 200; round++) {
                ServiceInstance churn =
                    ServiceInstance.builder("churn-" + round, "svc")
                        .address("10.1.0." + (round % 200 + 1), 9000)
                        .zone(round % 2 == 0 ? "a" : "b")
                        .weight(1 + round % 3)
                        .build();
                everRegistered.add(churn.id());
                f.discovery.register(churn);
                if (round >= 3) {
                  f.discovery.deregister("churn-" + (round - 3));
                }
                transport.answer("10.0.0." + (round % 4 + 1), round % 10 == 0 ? 500 : 200);
                f.time.advance(Duration.ofMillis(700));
              }
              stop.set(true);
              return null;
            }));
    start.countDown();
    for (Future<?> fut : futures) {
      fut.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(picks.get()).isGreaterThan(1000);
    // Only the last three churned instances are still registered.
    List<ServiceInstance> now = f.discovery.discoverAll("svc", ClientContext.none());
    assertThat(now)
        .extracting(ServiceInstance::id)
        .allMatch(id -> id.startsWith("svc-") || Set.of("churn-197", "churn-198", "churn-199").contains(id))
        .contains("churn-197", "churn-198", "churn-199");
  }
}
