package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.testing.FlakySource;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CacheAndSourcesTest {
  private static final DiscoveryConfig RR =
      DiscoveryConfig.builder().algorithm(LoadBalancing.ROUND_ROBIN).build();

  @Test
  @DisplayName("a warm cache answers without asking the sources until the TTL")
  void cacheHitsUntilTtl() {
    FlakySource mesh = new FlakySource();
    mesh.instances = List.of(Fixture.instance("svc", 0, 1));
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    f.discovery.discover("svc");
    int afterFirst = mesh.calls.get();
    for (int i = 0; i < 100; i++) {
      f.discovery.discover("svc");
    }
    assertThat(mesh.calls.get()).isEqualTo(afterFirst);
    assertThat(f.telemetry.count("orchestra.discovery.cache", "service", "svc", "result", "miss")).isEqualTo(1);
    assertThat(f.telemetry.count("orchestra.discovery.cache", "service", "svc", "result", "hit")).isEqualTo(100);
    f.time.advance(Duration.ofSeconds(30));
    f.discovery.discover("svc");
    assertThat(mesh.calls.get()).isEqualTo(afterFirst + 1);
  }

  @Test
  @DisplayName("stale fallback: when every source fails, cached instances are served up to maxStale, then discovery fails")
  void staleFallback() {
    FlakySource mesh = new FlakySource();
    mesh.instances = List.of(Fixture.instance("svc", 0, 1), Fixture.instance("svc", 1, 1));
    Fixture f =
        new Fixture(
            RR.toBuilder().mechanisms(EnumSet.of(Mechanism.MESH)).build(), b -> b.source(mesh));
    assertThat(f.discovery.discover("svc")).isNotNull();
    mesh.mode = FlakySource.Mode.FAIL;
    f.time.advance(Duration.ofSeconds(31));
    assertThat(f.pick("svc", 10, ClientContext.none())).hasSize(2);
    assertThat(f.telemetry.count("orchestra.discovery.cache", "service", "svc", "result", "stale")).isEqualTo(10);
    assertThat(f.telemetry.events("discovery.stale_serve")).hasSize(1);
    assertThat(f.telemetry.events("discovery.source_failure")).isNotEmpty();

    f.time.advance(Duration.ofMinutes(5));
    assertThatThrownBy(() -> f.discovery.discover("svc"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("'svc'")
        .extracting(e -> ((ServiceUnavailableException) e).serviceName())
        .isEqualTo("svc");

    mesh.mode = FlakySource.Mode.ANSWER;
    assertThat(f.discovery.discover("svc")).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(value = FlakySource.Mode.class, names = {"FAIL", "THROW"})
  @DisplayName("a failing source does not fail discovery while the registry answers")
  void sourceFailureIsolation(FlakySource.Mode mode) {
    FlakySource mesh = new FlakySource();
    mesh.mode = mode;
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    f.register("svc", 1, 1);
    assertThat(f.pick("svc", 10, ClientContext.none())).hasSize(2);
    assertThat(f.telemetry.count("orchestra.discovery.source.failures", "service", "svc", "source", "mesh"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("a source that never answers is cut off after the timeout; the others' answers are used")
  void hangingSourceTimesOut() {
    FlakySource mesh = new FlakySource();
    mesh.mode = FlakySource.Mode.HANG;
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    f.registry.register(Registration.of(Fixture.instance("svc", 0, 1), f.time.instant()));
    CompletableFuture<Void> refresh = f.discovery.refresh("svc").toCompletableFuture();
    assertThat(refresh).isNotDone();
    f.time.advance(Duration.ofSeconds(5));
    assertThat(refresh).isDone();
    assertThat(f.discovery.discover("svc").id()).isEqualTo("svc-0");
  }

  @Test
  @DisplayName("a cold call waits no longer than its deadline; the refresh it started still completes")
  void coldCallHonoursDeadline() throws Exception {
    FlakySource mesh = new FlakySource();
    mesh.mode = FlakySource.Mode.HANG;
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    f.registry.register(Registration.of(Fixture.instance("svc", 0, 1), f.time.instant()));
    java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      ClientContext ctx = ClientContext.builder().deadlineNanos(f.time.read() + 1_000_000_000L).build();
      java.util.concurrent.Future<ServiceInstance> call = caller.submit(() -> f.discovery.discover("svc", ctx));
      // Wait (real time, bounded) until the call has armed its timers: source timeout + deadline.
      long until = System.nanoTime() + 10_000_000_000L;
      while (f.time.pendingTasks() < 2) {
        assertThat(System.nanoTime()).isLessThan(until);
        Thread.onSpinWait();
      }
      f.time.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> call.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(ServiceUnavailableException.class);
      f.time.advance(Duration.ofSeconds(4)); // the mesh's 5 s timeout: the registry's answer lands
      assertThat(f.discovery.discover("svc").id()).isEqualTo("svc-0");
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  @DisplayName("sources are merged: same id or same host:port is one instance, the registry's copy wins")
  void mergeDeduplicates() {
    FlakySource mesh = new FlakySource();
    ServiceInstance registered = Fixture.instance("svc", 0, 5);
    mesh.instances =
        List.of(
            registered.toBuilder().weight(1).build(), // same id
            ServiceInstance.builder("mesh-x", "svc").address("10.0.0.1", 8080).build(), // same address
            ServiceInstance.builder("mesh-y", "svc").address("10.0.0.9", 8080).build());
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    f.discovery.register(registered);
    List<ServiceInstance> all = f.discovery.discoverAll("svc", ClientContext.none());
    assertThat(all).extracting(ServiceInstance::id).containsExactlyInAnyOrder("svc-0", "mesh-y");
    assertThat(all.stream().filter(i -> i.id().equals("svc-0")).findFirst().orElseThrow().weight()).isEqualTo(5);
  }

  @Test
  @DisplayName("refreshes of many services cached together are spread by jitter")
  void jitterSpreadsRefreshes() {
    FlakySource mesh = new FlakySource();
    List<ServiceInstance> list = new java.util.ArrayList<>();
    for (int s = 0; s < 50; s++) {
      list.add(Fixture.instance("svc" + s, 0, 1));
    }
    mesh.instances = list;
    Fixture f = new Fixture(RR, b -> b.source(mesh));
    for (int s = 0; s < 50; s++) {
      f.discovery.discover("svc" + s);
    }
    int base = mesh.calls.get();
    java.util.Set<Integer> refreshSeconds = new java.util.TreeSet<>();
    for (int second = 1; second <= 30; second++) {
      f.time.advance(Duration.ofSeconds(1));
      int before = mesh.calls.get();
      for (int s = 0; s < 50; s++) {
        f.discovery.discover("svc" + s);
      }
      if (mesh.calls.get() > before) {
        refreshSeconds.add(second);
      }
    }
    assertThat(mesh.calls.get() - base).isEqualTo(50);
    // With 20% jitter the 50 refreshes fall over the seconds 24..30, not all in one.
    assertThat(refreshSeconds.size()).isGreaterThanOrEqualTo(5);
    assertThat(refreshSeconds.iterator().next()).isGreaterThanOrEqualTo(24);
  }

  @Test
  @DisplayName("a refresh that finds nothing new keeps the snapshot; a changed registration replaces it")
  void unchangedRefreshKeepsTheSnapshot() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1);
    var source = f.discovery.asInstanceSource();
    List<ServiceInstance> before = source.instances("svc");
    f.time.advance(Duration.ofSeconds(31));
    f.discovery.refresh("svc").toCompletableFuture().join();
    f.discovery.refresh("svc").toCompletableFuture().join();
    assertThat(source.instances("svc")).isSameAs(before);

    f.registry.register(Registration.of(s[0].toBuilder().weight(5).build(), f.time.instant()));
    assertThat(source.instances("svc")).isNotSameAs(before).extracting(ServiceInstance::weight).contains(5);
  }

  @Test
  @DisplayName("registry watches: registering refreshes the cache at once")
  void registrationInvalidates() {
    Fixture f = new Fixture(RR);
    f.register("svc", 1);
    assertThat(f.pick("svc", 4, ClientContext.none())).containsOnlyKeys("svc-0");
    f.discovery.register(Fixture.instance("svc", 1, 1));
    assertThat(f.pick("svc", 4, ClientContext.none())).containsOnlyKeys("svc-0", "svc-1");
  }

  @Test
  @DisplayName("unknown service: ServiceUnavailableException naming it")
  void unknownService() {
    Fixture f = new Fixture(RR);
    assertThatThrownBy(() -> f.discovery.discover("nope"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  @DisplayName("the instance source view answers eligible instances from the cache and takes reports")
  void instanceSourceView() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1);
    var source = f.discovery.asInstanceSource();
    List<ServiceInstance> first = source.instances("svc");
    assertThat(first).containsExactlyInAnyOrder(s);
    assertThat(source.instances("svc")).isSameAs(first);
    for (int i = 0; i < 3; i++) {
      source.report(s[0], io.orchestra.core.transport.CallOutcome.RESET, 0);
    }
    assertThat(source.instances("svc")).containsExactly(s[1]);
    assertThat(source.instances("unknown")).isEmpty();
  }
}
