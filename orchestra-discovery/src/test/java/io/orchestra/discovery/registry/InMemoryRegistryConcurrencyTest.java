package io.orchestra.discovery.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.testing.Race;
import io.orchestra.discovery.Registration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryRegistryConcurrencyTest {
  private static final String[] SERVICES = {"a", "b"};

  /**
   * Three threads hand fresh ids along: the first registers each in service {@code a}, the second
   * waits to see it through {@code find} and moves it to service {@code b}, the third waits to see
   * it in {@code b} through {@code find} and deregisters it; two threads read meanwhile, and the
   * services have watchers that read the registry when told of a change (as a discovery's refresh
   * does). Every answer holds for some single state; once the threads stop, nothing is registered.
   * Before changes were made atomic per id, a deregistration that overtook a move (or a move that
   * overtook the first registration), for instance while the move was notifying the old
   * service's watchers, left a ghost: an id listed by {@code fetch} but unknown to {@code find},
   * which no deregistration could remove.
   */
  @Test
  @DisplayName("fetch, find and all agree after registrations, moves and deregistrations of one id race")
  void fetchFindAndAllAgreeAfterRacingChanges() throws Exception {
    InMemoryRegistry registry = new InMemoryRegistry();
    for (String service : SERVICES) {
      registry.watch(service, () -> registry.fetch(service).toCompletableFuture().join());
    }
    int ids = 5_000;
    List<Callable<Void>> writers = new ArrayList<>();
    writers.add(() -> {
      for (int k = 0; k < ids; k++) {
        registry.register(registration("i" + k, "a"));
      }
      return null;
    });
    writers.add(() -> {
      for (int k = 0; k < ids; k++) {
        String id = "i" + k;
        while (registry.find(id) == null) {
          Thread.onSpinWait(); // bounded: the first writer registers every id
        }
        registry.register(registration(id, "b"));
      }
      return null;
    });
    writers.add(() -> {
      for (int k = 0; k < ids; k++) {
        String id = "i" + k;
        while (!inB(registry.find(id))) {
          Thread.onSpinWait(); // bounded: the second writer moves every id
        }
        assertThat(registry.deregister(id)).isNotNull();
      }
      return null;
    });
    Race.Read read = () -> {
      for (String service : SERVICES) {
        Set<String> listed = new HashSet<>();
        for (Registration r : registry.fetch(service).toCompletableFuture().join()) {
          assertThat(r.serviceName()).isEqualTo(service);
          assertThat(listed.add(r.id())).as("%s listed twice", r.id()).isTrue();
        }
      }
      Set<String> all = new HashSet<>();
      for (Registration r : registry.all()) {
        assertThat(all.add(r.id())).as("%s in all() twice", r.id()).isTrue();
      }
    };
    Race.run(writers, List.of(read, read));

    for (String service : SERVICES) {
      for (Registration r : registry.fetch(service).toCompletableFuture().join()) {
        assertThat(registry.find(r.id()))
            .as("%s listed in %s but unknown to find", r.id(), service)
            .isNotNull();
      }
      assertThat(registry.fetch(service).toCompletableFuture().join()).as(service).isEmpty();
    }
    assertThat(registry.all()).isEmpty();
  }

  private static boolean inB(Registration r) {
    return r != null && r.serviceName().equals("b");
  }

  private static Registration registration(String id, String service) {
    return Registration.of(
        ServiceInstance.builder(id, service).address("10.0.0.1", 8080).build(), Instant.EPOCH);
  }
}
