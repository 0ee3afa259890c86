package io.orchestra.observability.internal;

import io.orchestra.observability.alerts.Alert;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending and firing alerts, one per rule and service, at most {@code limit} of them ({@code
 * alerting.maxActiveAlerts}). Service names come from telemetry, that is from outside; without a
 * bound a {@code *} rule breached by a new name per request would grow this map, and every
 * evaluation over it, forever.
 *
 * <p>Past the bound a new instance is refused: {@link #admit} returns null, the refusal is counted
 * as {@code alert.active_overflow} and the first one is logged once at WARN. Nothing admitted is
 * ever evicted to make room: a pending alert still fires and a firing one still resolves, with
 * their notifications. Room frees only when an instance leaves through {@link #remove} or {@link
 * #removeRule} (a pending alert that clears, a resolution, a removed rule); resolved and cleared
 * instances leave at once, so every instance held is live.
 *
 * <p>Not thread-safe: confined to the {@link AlertManager}'s lock.
 */
final class AlertInstances {
  private static final Logger LOG = LoggerFactory.getLogger(AlertInstances.class);

  /**
   * The identity of an instance: rule and service as two fields, so no rule id or service name,
   * whatever characters it holds, can share another pair's key.
   */
  record Key(String ruleId, String service) {}

  /** One alert's mutable state between evaluations. */
  static final class Instance {
    Alert alert;
    long clearedSince = -1;
    long lastNotified;

    Instance(Alert alert) {
      this.alert = alert;
    }
  }

  private final Map<Key, Instance> byKey = new LinkedHashMap<>();
  private final Collection<Instance> view = Collections.unmodifiableCollection(byKey.values());
  private final int limit;
  private final BadInputCounters bad;
  private boolean warned;

  /** At most {@code limit} (&gt; 0) instances; refusals counted in {@code bad}. */
  AlertInstances(int limit, BadInputCounters bad) {
    this.limit = limit;
    this.bad = bad;
  }

  /** The instance of {@code key}, or null. */
  Instance get(Key key) {
    return byKey.get(key);
  }

  /**
   * A new instance of {@code alert} under {@code key} (which has none), or null when the bound is
   * reached (the refusal is counted).
   */
  Instance admit(Key key, Alert alert) {
    if (byKey.size() >= limit) {
      refused();
      return null;
    }
    Instance i = new Instance(alert);
    byKey.put(key, i);
    return i;
  }

  /** Removes the instance of {@code key}, if any. */
  void remove(Key key) {
    byKey.remove(key);
  }

  /** Removes every instance of rule {@code ruleId}. */
  void removeRule(String ruleId) {
    byKey.values().removeIf(i -> i.alert.ruleId().equals(ruleId));
  }

  /** The instances in admission order (a read-only view). */
  Collection<Instance> values() {
    return view;
  }

  /** Number of instances; never above the limit. */
  int size() {
    return byKey.size();
  }

  private void refused() {
    bad.count("alert", "active_overflow");
    // One line for the first refusal: a flood of new services is exactly when a line per refusal
    // would hurt. Neither rule nor service is logged: the service name comes from outside.
    if (!warned) {
      warned = true;
      LOG.warn("observability engine keeps at most {} pending or firing alerts (alerting.maxActiveAlerts); a breach "
          + "of a rule and service without an alert raises none until one resolves, and is counted as "
          + "alert.active_overflow", limit);
    }
  }
}
