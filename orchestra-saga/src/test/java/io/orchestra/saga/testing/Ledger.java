package io.orchestra.saga.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test participants saw: every call (with its idempotency key and attempt) and the
 * effects they applied, de-duplicated by key as a real participant would.
 */
public final class Ledger {
  /** One call. */
  public record Call(String sagaId, String step, boolean compensation, String key, int attempt) {}

  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> effects = new ConcurrentHashMap<>();
  private final List<String> effectOrder = new ArrayList<>();

  public synchronized void call(String sagaId, String step, boolean compensation, String key, int attempt) {
    calls.add(new Call(sagaId, step, compensation, key, attempt));
  }

  /** Applies the effect of {@code key} once; returns whether this call applied it. */
  public synchronized boolean apply(String key, String label) {
    boolean first = effects.merge(key, 1, Integer::sum) == 1;
    if (first) {
      effectOrder.add(label);
    }
    return first;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String sagaId, String step, boolean compensation) {
    return calls.stream()
        .filter(c -> c.sagaId().equals(sagaId) && c.step().equals(step) && c.compensation() == compensation)
        .toList();
  }

  /** Labels of applied effects, in order. */
  public synchronized List<String> effects() {
    return List.copyOf(effectOrder);
  }

  /** How often the participant was asked to apply {@code key} (1 = exactly once). */
  public int requests(String key) {
    return effects.getOrDefault(key, 0);
  }
}
