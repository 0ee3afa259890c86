package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * A mark on a node that repels workloads without a matching {@link Toleration}, as in Kubernetes
 * ({@code dedicated=gpu:NoSchedule}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param key non-blank key
 * @param value value, possibly empty (never null)
 * @param effect what happens to untolerating workloads
 */
public record Taint(String key, String value, TaintEffect effect) {

  /** Validates the key and effect; a null value becomes empty. */
  public Taint {
    Checks.notBlank("taint.key", key);
    value = value == null ? "" : value;
    Checks.notNull("taint.effect", effect);
  }

  /** A taint {@code key=value:effect}. */
  public static Taint of(String key, String value, TaintEffect effect) {
    return new Taint(key, value, effect);
  }

  /**
   * A taint whose effect is given in Kubernetes spelling.
   *
   * @throws IllegalArgumentException for an unknown effect, naming {@code taint.effect}
   */
  public static Taint of(String key, String value, String effect) {
    return new Taint(key, value, TaintEffect.parse("taint.effect", effect));
  }

  @Override
  public String toString() {
    return value.isEmpty() ? key + ":" + effect : key + "=" + value + ":" + effect;
  }
}
