package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationTest {

  @Test
  void registerReturnsTheSeedsResult() {
    Fixture f = new Fixture(DiscoveryConfig.defaults());
    RegistrationResult r = f.discovery.register(Fixture.instance("svc", 0, 1));
    assertThat(r.success()).isTrue();
    assertThat(r.instanceId()).isEqualTo("svc-0");
    assertThat(r.registrationTime()).isEqualTo(f.time.instant());
    Registration stored = f.registry.find("svc-0");
    assertThat(stored.healthCheck())
        .isEqualTo(new HealthCheck("/health", Duration.ofSeconds(10), Duration.ofSeconds(5), "GET"));
    assertThat(f.telemetry.events("discovery.registered")).hasSize(1);
  }

  @Test
  void deregisterUnknownSaysInstanceNotFound() {
    Fixture f = new Fixture(DiscoveryConfig.defaults());
    DeregistrationResult r = f.discovery.deregister("ghost");
    assertThat(r.success()).isFalse();
    assertThat(r.reason()).isEqualTo("instance_not_found");
    assertThat(r.deregistrationTime()).isNull();
  }

  @Test
  void deregisterKnownSucceeds() {
    Fixture f = new Fixture(DiscoveryConfig.defaults());
    f.register("svc", 1);
    f.time.advance(Duration.ofSeconds(3));
    DeregistrationResult r = f.discovery.deregister("svc-0");
    assertThat(r).isEqualTo(DeregistrationResult.removed("svc-0", f.time.instant()));
    assertThat(f.registry.find("svc-0")).isNull();
    assertThatThrownBy(() -> f.discovery.discover("svc")).isInstanceOf(ServiceUnavailableException.class);
  }

  /**
   * A registry whose reads lag its writes (like a ZooKeeper cache that has not yet seen a
   * delete): a deregistered instance must not come back through a fresh but stale answer, yet a
   * source that keeps listing it for longer than a refresh interval wins (it was re-registered).
   */
  @Test
  void deregisteredInstanceIsNotRevivedByALaggingRegistry() {
    InMemoryRegistryWithLag lagging = new InMemoryRegistryWithLag();
    Fixture f =
        new Fixture(
            DiscoveryConfig.builder().algorithm(LoadBalancing.ROUND_ROBIN).build(), b -> b.registry(lagging));
    f.discovery.register(Fixture.instance("svc", 0, 1));
    f.discovery.register(Fixture.instance("svc", 1, 1));
    f.time.runDueTasks();
    assertThat(ids(f)).containsExactlyInAnyOrder("svc-0", "svc-1");

    lagging.freeze(); // reads keep returning both instances
    assertThat(f.discovery.deregister("svc-1").success()).isTrue();
    f.discovery.refresh("svc").toCompletableFuture().join(); // a fetch begun after the removal, answered from the lagging view
    f.time.runDueTasks();
    assertThat(ids(f)).containsExactly("svc-0");

    f.time.advance(DiscoveryConfig.defaults().refreshInterval().plusSeconds(1));
    f.discovery.refresh("svc").toCompletableFuture().join();
    assertThat(ids(f)).as("still listed after a whole refresh interval: a genuine registration")
        .containsExactlyInAnyOrder("svc-0", "svc-1");
  }

  @Test
  void reRegisteringThroughDiscoveryLiftsTheTombstoneAtOnce() {
    Fixture f = new Fixture(DiscoveryConfig.builder().algorithm(LoadBalancing.ROUND_ROBIN).build());
    f.register("svc", 1, 1);
    f.discovery.deregister("svc-1");
    f.discovery.register(Fixture.instance("svc", 1, 1));
    f.discovery.refresh("svc").toCompletableFuture().join();
    assertThat(ids(f)).containsExactlyInAnyOrder("svc-0", "svc-1");
  }

  private static java.util.List<String> ids(Fixture f) {
    return f.discovery.discoverAll("svc", ClientContext.none()).stream().map(ServiceInstance::id).toList();
  }

  /** An in-memory registry whose reads can be frozen while writes go on. */
  private static final class InMemoryRegistryWithLag implements RegistrySource {
    private final io.orchestra.discovery.registry.InMemoryRegistry delegate =
        new io.orchestra.discovery.registry.InMemoryRegistry();
    private volatile java.util.List<Registration> frozen;

    void freeze() {
      frozen = delegate.fetch("svc").toCompletableFuture().join();
    }

    @Override
    public String name() {
      return "lagging";
    }

    @Override
    public java.util.concurrent.CompletionStage<java.util.List<Registration>> fetch(String service) {
      java.util.List<Registration> f = frozen;
      return f != null ? java.util.concurrent.CompletableFuture.completedFuture(f) : delegate.fetch(service);
    }

    @Override
    public void register(Registration registration) {
      delegate.register(registration);
    }

    @Override
    public Registration deregister(String id) {
      return delegate.deregister(id);
    }

    @Override
    public Registration find(String id) {
      return delegate.find(id);
    }
  }

  @Test
  void failingRegistryReportsFailure() {
    RegistrySource broken =
        new RegistrySource() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public java.util.concurrent.CompletionStage<java.util.List<Registration>> fetch(String s) {
            return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
          }

          @Override
          public void register(Registration registration) {
            throw new IllegalStateException("read-only");
          }

          @Override
          public Registration deregister(String id) {
            return null;
          }

          @Override
          public Registration find(String id) {
            return null;
          }
        };
    Fixture f = new Fixture(DiscoveryConfig.defaults(), b -> b.registry(broken));
    RegistrationResult r = f.discovery.register(Fixture.instance("svc", 0, 1));
    assertThat(r.success()).isFalse();
    assertThat(f.telemetry.events("discovery.registration_failure")).hasSize(1);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void blankServiceNamesAreRejected(String name) {
    Fixture f = new Fixture(DiscoveryConfig.defaults());
    java.util.List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> byServiceName =
        java.util.List.of(
            () -> f.discovery.discover(name),
            () -> f.discovery.discoverAll(name, ClientContext.none()),
            () -> f.discovery.refresh(name),
            () -> f.discovery.inPanic(name),
            () -> f.discovery.asInstanceSource().instances(name));
    for (var call : byServiceName) {
      assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serviceName");
    }
    assertThatThrownBy(() -> f.discovery.deregister(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instanceId");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void badPortsAreRejectedNamingTheField(int port) {
    assertThatThrownBy(() -> ServiceInstance.builder("a", "svc").address("h", port).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void negativeWeightsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> ServiceInstance.builder("a", "svc").address("h", 1).weight(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight");
  }

  @Test
  void healthCheckValidation() {
    assertThatThrownBy(() -> HealthCheck.builder().path("health").build())
        .hasMessageContaining("healthCheck.path");
    assertThatThrownBy(() -> HealthCheck.builder().interval(Duration.ZERO).build())
        .hasMessageContaining("healthCheck.interval");
  }
}
