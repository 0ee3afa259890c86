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
 * changed the registry, outside any lock.
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
    Registration previous = byId.put(registration.id(), registration);
    if (previous != null && !previous.serviceName().equals(registration.serviceName())) {
      Map<String, Registration> old = byService.get(previous.serviceName());
      if (old != null) {
        old.remove(previous.id());
      }
      notify(previous.serviceName());
    }
    byService
        .computeIfAbsent(registration.serviceName(), k -> new ConcurrentHashMap<>())
        .put(registration.id(), registration);
    notify(registration.serviceName());
  }

  @Override
  public Registration deregister(String instanceId) {
    Checks.notBlank("instanceId", instanceId);
    Registration removed = byId.remove(instanceId);
    if (removed == null) {
      return null;
    }
    Map<String, Registration> m = byService.get(removed.serviceName());
    if (m != null) {
      m.remove(instanceId);
    }
    notify(removed.serviceName());
    return removed;
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
