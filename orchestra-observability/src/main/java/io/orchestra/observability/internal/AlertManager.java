package io.orchestra.observability.internal;

import io.orchestra.observability.AlertingConfig;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvaluation;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.alerts.Notifier;
import io.orchestra.observability.internal.AlertInstances.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule evaluation and the alert state machine (inactive, pending, firing, resolved, with {@code
 * for} and keep-firing holds), de-duplication by rule and service, grouping into notifications,
 * and delivery to notifiers. Rule values and evidence are read through {@link AlertQueries}; the
 * pending and firing alerts are held by {@link AlertInstances}, at most {@code
 * alerting.maxActiveAlerts} of them (a breach past the bound raises no alert until one leaves, and
 * is counted as {@code alert.active_overflow}); the resolved ones by {@link AlertHistory}, within
 * {@code alerting.alertRetention}, at most {@code alerting.maxHistory} of them and at most {@code
 * alerting.maxHistoryBytes} estimated bytes (the oldest leaves first, counted as {@code
 * alert.history_overflow}; an alert above the bytes alone is kept with fewer log lines, counted as
 * {@code alert.history_trimmed}). Thread-safe: one evaluation at a time.
 */
public final class AlertManager {
  private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

  private final AlertingConfig config;
  private final AlertQueries queries;
  private final Map<String, Notifier> notifiers;
  private final Map<String, AlertRule> rules = new LinkedHashMap<>();
  private final AlertInstances active;
  private final AlertHistory history;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final BadInputCounters bad;
  // The latest time an evaluation ran at; guarded by this object's monitor.
  private long lastEvaluatedAt = Long.MIN_VALUE;

  /** A manager with the configured rules. */
  public AlertManager(
      AlertingConfig config,
      MetricStore metrics,
      LogStore logs,
      TracePipeline traces,
      Correlator correlator,
      Map<String, Notifier> notifiers,
      BadInputCounters bad) {
    this.config = config;
    this.bad = bad;
    this.queries = new AlertQueries(config, metrics, logs, traces, correlator);
    this.active = new AlertInstances(config.maxActiveAlerts(), bad);
    this.history = new AlertHistory(config.maxHistory(), config.maxHistoryBytes(), bad);
    this.notifiers = Map.copyOf(notifiers);
    config.rules().forEach(r -> rules.put(r.id(), r));
  }

  /** Adds or replaces a rule. */
  public synchronized void addRule(AlertRule rule) {
    rules.put(rule.id(), rule);
  }

  /** Removes a rule and its alerts (without notification); returns whether it existed. */
  public synchronized boolean removeRule(String id) {
    active.removeRule(id);
    return rules.remove(id) != null;
  }

  /** The rules. */
  public synchronized List<AlertRule> rules() {
    return new ArrayList<>(rules.values());
  }

  /** Pending and firing alerts. */
  public synchronized List<Alert> active() {
    List<Alert> out = new ArrayList<>();
    active.values().forEach(i -> out.add(i.alert));
    return out;
  }

  /**
   * Resolved alerts within the retention, at most {@code alerting.maxHistory} and {@code
   * alerting.maxHistoryBytes}, oldest first.
   */
  public synchronized List<Alert> history(long now) {
    prune(now);
    return history.snapshot();
  }

  /** Notifications that failed to deliver. */
  public long failures() {
    return failures.get();
  }

  /** Notifications handed to notifiers. */
  public long sent() {
    return sent.get();
  }

  /**
   * Evaluates every rule that applies to {@code service} at {@code now}; when {@code service} is
   * null, every rule, {@code *} rules for each of {@code knownServices} and each service with an
   * active alert of the rule.
   *
   * <p>Evaluations run one at a time, in the order they get here, each at {@code now} or at the
   * time of the evaluation before it, whichever is later (the returned {@link
   * AlertEvaluation#evaluatedAtEpochMillis()} says which): a caller that read the clock, then was
   * overtaken by one that read it later, does not move alert times back. So an alert's times are
   * ordered (active since, then fired, then resolved) and the history is in resolution order.
   */
  public synchronized AlertEvaluation evaluate(String service, long now, Set<String> knownServices) {
    // Callers read the clock before they take this lock, so an evaluation can arrive after one
    // that read a later time: it runs at that later time, so that alert times never go backwards.
    now = Math.max(now, lastEvaluatedAt);
    lastEvaluatedAt = now;
    List<Alert> transitions = new ArrayList<>();
    // Ordered, and a set: the repeat check below asks it once per firing alert.
    Set<Instance> toNotify = new LinkedHashSet<>();
    for (AlertRule rule : rules.values()) {
      Set<String> targets = new TreeSet<>();
      if (!rule.service().equals(AlertRule.ANY_SERVICE)) {
        if (service == null || service.equals(rule.service())) {
          targets.add(rule.service());
        }
      } else if (service != null) {
        targets.add(service);
      } else {
        targets.addAll(knownServices);
        // A service past the tracking bound is not in knownServices, but an alert it already
        // raised must still progress (pending to firing) and resolve when its data stops.
        for (Instance i : active.values()) {
          if (i.alert.ruleId().equals(rule.id())) {
            targets.add(i.alert.serviceName());
          }
        }
      }
      for (String target : targets) {
        step(rule, target, now, transitions, toNotify);
      }
    }
    if (config.repeatInterval().toMillis() > 0) {
      for (Instance i : active.values()) {
        if (i.alert.state() == AlertState.FIRING && !toNotify.contains(i) && now - i.lastNotified >= config.repeatInterval().toMillis()) {
          toNotify.add(i);
        }
      }
    }
    prune(now);
    List<AlertNotification> notifications = notify(toNotify, now);
    return new AlertEvaluation(now, transitions, active(), notifications);
  }

  private void step(AlertRule rule, String service, long now, List<Alert> transitions, Set<Instance> toNotify) {
    AlertInstances.Key key = new AlertInstances.Key(rule.id(), service);
    double value = queries.value(rule, service, now);
    boolean breached = rule.comparison().test(value, rule.threshold());
    Instance inst = active.get(key);
    if (breached) {
      if (inst == null) {
        boolean fire = rule.forDuration().isZero();
        inst = active.admit(key, alert(rule, service, fire ? AlertState.FIRING : AlertState.PENDING, value, now, fire ? now : 0, 0, AlertEvidence.NONE));
        if (inst == null) {
          return; // past alerting.maxActiveAlerts: counted; tried again at the next evaluation
        }
        if (fire) {
          inst.alert = queries.withEvidence(inst.alert, rule, now);
          toNotify.add(inst);
        }
        transitions.add(inst.alert);
      } else {
        inst.clearedSince = -1;
        Alert a = inst.alert;
        if (a.state() == AlertState.PENDING && now - a.activeSinceEpochMillis() >= rule.forDuration().toMillis()) {
          inst.alert = queries.withEvidence(alert(rule, service, AlertState.FIRING, value, a.activeSinceEpochMillis(), now, 0, AlertEvidence.NONE), rule, now);
          transitions.add(inst.alert);
          toNotify.add(inst);
        } else {
          inst.alert = alert(rule, service, a.state(), value, a.activeSinceEpochMillis(), a.firedAtEpochMillis(), 0, a.evidence());
        }
      }
      return;
    }
    if (inst == null) {
      return;
    }
    Alert a = inst.alert;
    if (a.state() == AlertState.PENDING) {
      active.remove(key); // never fired: nothing to resolve or notify
      return;
    }
    if (inst.clearedSince < 0) {
      inst.clearedSince = now;
    }
    if (now - inst.clearedSince >= rule.keepFiringFor().toMillis()) {
      inst.alert = alert(rule, service, AlertState.RESOLVED, value, a.activeSinceEpochMillis(), a.firedAtEpochMillis(), now, a.evidence());
      active.remove(key);
      history.add(inst.alert);
      transitions.add(inst.alert);
      toNotify.add(inst);
    } else {
      inst.alert = alert(rule, service, AlertState.FIRING, value, a.activeSinceEpochMillis(), a.firedAtEpochMillis(), 0, a.evidence());
    }
  }

  private static Alert alert(AlertRule rule, String service, AlertState state, double value, long since, long fired, long resolved, AlertEvidence evidence) {
    Map<String, String> labels = new TreeMap<>(rule.labels());
    labels.put("service", service);
    labels.put("severity", rule.severity().name());
    labels.put("rule", rule.id());
    return new Alert(rule.id(), service, rule.severity(), rule.message(), rule.condition(), state, value, since, fired, resolved, labels, evidence);
  }

  private List<AlertNotification> notify(Set<Instance> instances, long now) {
    if (instances.isEmpty()) {
      return List.of();
    }
    // channel -> group key -> alerts
    Map<String, Map<String, List<Alert>>> byChannel = new TreeMap<>();
    Map<String, Map<String, String>> groupLabels = new HashMap<>();
    for (Instance i : instances) {
      i.lastNotified = now;
      AlertRule rule = rules.get(i.alert.ruleId());
      List<String> channels = rule == null || rule.channels().isEmpty() ? config.notificationChannels() : rule.channels();
      Map<String, String> labels = new TreeMap<>();
      for (String k : config.groupBy()) {
        labels.put(k, i.alert.labels().getOrDefault(k, ""));
      }
      String key = groupKey(labels);
      groupLabels.put(key, labels);
      for (String ch : channels) {
        byChannel.computeIfAbsent(ch, c -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(i.alert);
      }
    }
    List<AlertNotification> out = new ArrayList<>();
    byChannel.forEach((channel, groups) -> groups.forEach((key, alerts) -> {
      boolean firing = alerts.stream().anyMatch(x -> x.state() == AlertState.FIRING);
      AlertNotification n = new AlertNotification(key, groupLabels.get(key), firing ? "firing" : "resolved", alerts, now);
      out.add(n);
      Notifier notifier = notifiers.get(channel);
      if (notifier == null) {
        failures.incrementAndGet();
        bad.count("alert", "unbound_channel");
        return;
      }
      sent.incrementAndGet();
      try {
        notifier.send(n).whenComplete((v, e) -> {
          if (e != null) {
            deliveryFailed();
            LOG.warn("alert notification to channel {} failed: {}", channel, e.toString());
          }
        });
      } catch (RuntimeException e) {
        deliveryFailed();
        LOG.warn("alert notifier for channel {} threw: {}", channel, e.toString());
      }
    }));
    return out;
  }

  /**
   * {@code k=v,k=v} in key order, with {@code %}, {@code ,} and {@code =} inside a key or value
   * percent-encoded, so that two different groups never share a key (before, the map's {@code
   * toString} let a value holding {@code ", k=v"} merge two groups).
   */
  static String groupKey(Map<String, String> sortedLabels) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : sortedLabels.entrySet()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(KeyText.escape(e.getKey(), ",=")).append('=').append(KeyText.escape(e.getValue(), ",="));
    }
    return b.toString();
  }

  private void deliveryFailed() {
    failures.incrementAndGet();
    bad.count("alert", "notification_failed");
  }

  private void prune(long now) {
    history.purgeBefore(now - config.alertRetention().toMillis());
  }
}
