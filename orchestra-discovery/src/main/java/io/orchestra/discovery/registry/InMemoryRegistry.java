package io.orchestra.discovery.registry;

import io.orchestra.core.internal.Checks;
import io.orchestra.discovery.Registration;
import io.orchestra.discovery.RegistrySource;
import io.orchestra.discovery.internal.Watchers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry in this process's memory: the embedded default, and the registry of tests. Answers
 * at once, and notifies watchers synchronously on every change.
 *
 * <p>Thread-safe: registrations live in concurrent maps; watchers are called on the thread that
 * changed the registry, outside any lock, once the change is complete. Changes of one id
 * (register, move to another service, deregister) are applied one at a time: however they race,
 * once they stop every id {@code find} knows is listed by its service's {@link #fetch} and by no
 * other's, and every id {@code fetch} lists is known to {@code find} (a reader during a change
 * may see one side of it through {@code find} and the other through {@code fetch}).
 */
public final class InMemoryRegistry implements RegistrySource {
  private final Map<String, Registration> byId = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Registration>> byService = new ConcurrentHashMap<>();
  private final Watchers watchers = new Watchers();

  /** An empty registry. */
  public InMemoryRegistry() {}

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public CompletionStage<List<Registration>> fetch(String serviceName) {
    Map<String, Registration> m = byService.get(serviceName);
    return CompletableFuture.completedFuture(m == null ? List.of() : List.copyOf(m.values()));
  }

  @Override
  public void register(Registration registration) {
    Checks.notNull("registration", registration);
    Registration[] previous = new Registration[1];
    // Per id, the two maps change together inside compute (which excludes other changes of the
    // same id): a deregistration or move racing this one cannot leave the id in a service's map
    // but not in byId (listed by fetch, unknown to find, never removable) or in two services.
    byId.compute(
        registration.id(),
        (id, prev) -> {
          previous[0] = prev;
          if (prev != null && !prev.serviceName().equals(registration.serviceName())) {
            Map<String, Registration> old = byService.get(prev.serviceName());
            if (old != null) {
              old.remove(id);
            }
          }
          byService
              .computeIfAbsent(registration.serviceName(), k -> new ConcurrentHashMap<>())
              .put(id, registration);
          return registration;
        });
    Registration prev = previous[0];
    if (prev != null && !prev.serviceName().equals(registration.serviceName())) {
      notify(prev.serviceName());
    }
    notify(registration.serviceName());
  }

  @Override
  public Registration deregister(String instanceId) {
    Checks.notBlank("instanceId", instanceId);
    Registration[] removed = new Registration[1];
    byId.computeIfPresent(
        instanceId,
        (id, prev) -> {
          removed[0] = prev;
          Map<String, Registration> m = byService.get(prev.serviceName());
          if (m != null) {
            m.remove(id);
          }
          return null;
        });
    if (removed[0] == null) {
      return null;
    }
    notify(removed[0].serviceName());
    return removed[0];
  }

  @Override
  public Registration find(String instanceId) {
    return instanceId == null ? null : byId.get(instanceId);
  }

  @Override
  public AutoCloseable watch(String serviceName, Runnable onChange) {
    return watchers.add(serviceName, onChange);
  }

  /** Every registration, for inspection. */
  public List<Registration> all() {
    return new ArrayList<>(byId.values());
  }

  private void notify(String serviceName) {
    watchers.changed(serviceName); // a failing watcher must not break registration
  }
}
