package io.orchestra.discovery.internal;

import io.orchestra.core.internal.Checks;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Change listeners per service name, for the sources this module ships: {@link #add} one, and
 * {@link #changed} runs all of a service's listeners. A listener that throws does not keep the
 * others from running. Thread-safe; listeners run on the thread that reports the change, outside
 * any lock. Not API.
 */
public final class Watchers {
  private final Map<String, List<Runnable>> byService = new ConcurrentHashMap<>();

  /** Adds {@code onChange} for {@code serviceName}; closing the returned handle removes it. */
  public AutoCloseable add(String serviceName, Runnable onChange) {
    Checks.notNull("onChange", onChange);
    List<Runnable> list = byService.computeIfAbsent(serviceName, k -> new CopyOnWriteArrayList<>());
    list.add(onChange);
    return () -> list.remove(onChange);
  }

  /** Runs every listener of {@code serviceName} on the calling thread. */
  public void changed(String serviceName) {
    List<Runnable> list = byService.get(serviceName);
    if (list == null) {
      return;
    }
    for (Runnable r : list) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // one failing listener must not keep the others from hearing of the change
      }
    }
  }
}
