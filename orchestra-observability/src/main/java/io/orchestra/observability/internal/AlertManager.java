package io.orchestra.observability.internal;

import io.orchestra.observability.AlertingConfig;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.alerts.Aggregation;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvaluation;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertSource;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.alerts.Notifier;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
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
 * evidence, and delivery to notifiers. Thread-safe: one evaluation at a time.
 */
public final class AlertManager {
  private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

  private final AlertingConfig config;
  private final MetricStore metrics;
  private final LogStore logs;
  private final TracePipeline traces;
  private final Correlator correlator;
  private final Map<String, Notifier> notifiers;
  private final Map<String, AlertRule> rules = new LinkedHashMap<>();
  private final Map<String, Instance> active = new LinkedHashMap<>();
  private final ArrayDeque<Alert> history = new ArrayDeque<>();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final BadInputCounters bad;

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
    this.metrics = metrics;
    this.logs = logs;
    this.traces = traces;
    this.correlator = correlator;
    this.notifiers = Map.copyOf(notifiers);
    config.rules().forEach(r -> rules.put(r.id(), r));
  }

  private static final class Instance {
    Alert alert;
    long clearedSince = -1;
    long lastNotified;

    Instance(Alert alert) {
      this.alert = alert;
    }
  }

  /** Adds or replaces a rule. */
  public synchronized void addRule(AlertRule rule) {
    rules.put(rule.id(), rule);
  }

  /** Removes a rule and its alerts (without notification); returns whether it existed. */
  public synchronized boolean removeRule(String id) {
    active.values().removeIf(i -> i.alert.ruleId().equals(id));
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

  /** Resolved alerts within the retention, oldest first. */
  public synchronized List<Alert> history(long now) {
    prune(now);
    return new ArrayList<>(history);
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
   */
  public synchronized AlertEvaluation evaluate(String service, long now, Set<String> knownServices) {
    List<Alert> transitions = new ArrayList<>();
    List<Instance> toNotify = new ArrayList<>();
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

  private void step(AlertRule rule, String service, long now, List<Alert> transitions, List<Instance> toNotify) {
    String fp = rule.id() + "/" + service;
    double value = value(rule, service, now);
    boolean breached = rule.comparison().test(value, rule.threshold());
    Instance inst = active.get(fp);
    if (breached) {
      if (inst == null) {
        boolean fire = rule.forDuration().isZero();
        inst = new Instance(alert(rule, service, fire ? AlertState.FIRING : AlertState.PENDING, value, now, fire ? now : 0, 0, AlertEvidence.NONE));
        active.put(fp, inst);
        if (fire) {
          inst.alert = withEvidence(inst.alert, rule, now);
          toNotify.add(inst);
        }
        transitions.add(inst.alert);
      } else {
        inst.clearedSince = -1;
        Alert a = inst.alert;
        if (a.state() == AlertState.PENDING && now - a.activeSinceEpochMillis() >= rule.forDuration().toMillis()) {
          inst.alert = withEvidence(alert(rule, service, AlertState.FIRING, value, a.activeSinceEpochMillis(), now, 0, AlertEvidence.NONE), rule, now);
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
      active.remove(fp); // never fired: nothing to resolve or notify
      return;
    }
    if (inst.clearedSince < 0) {
      inst.clearedSince = now;
    }
    if (now - inst.clearedSince >= rule.keepFiringFor().toMillis()) {
      inst.alert = alert(rule, service, AlertState.RESOLVED, value, a.activeSinceEpochMillis(), a.firedAtEpochMillis(), now, a.evidence());
      active.remove(fp);
      history.addLast(inst.alert);
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

  /** The rule's value for {@code service} over its window ending now; NaN when there is no data. */
  double value(AlertRule rule, String service, long now) {
    long from = now - rule.window().toMillis();
    long to = now + 1;
    if (rule.source() == AlertSource.LOG) {
      long[] count = {0};
      logs.forEach(from, to, r -> {
        if (matches(rule, service, r)) {
          count[0]++;
        }
      });
      return count[0];
    }
    String gaugeName = MetricNames.normalize(rule.metric(), MetricType.GAUGE);
    String counterName = MetricNames.normalize(rule.metric(), MetricType.COUNTER);
    int level = metrics.levelCovering(from, now);
    Series.Aggregate agg = new Series.Aggregate(metrics.mapping());
    boolean counter = false;
    for (Series s : metrics.ofService(service)) {
      if (s.name.equals(gaugeName) || s.name.equals(counterName)) {
        s.aggregate(level, from, to, metrics.notBefore(now), agg);
        counter |= s.type == MetricType.COUNTER;
      }
    }
    if (agg.count == 0) {
      return rule.aggregation() == Aggregation.SUM || rule.aggregation() == Aggregation.COUNT || rule.aggregation() == Aggregation.RATE ? 0 : Double.NaN;
    }
    switch (rule.aggregation()) {
      case AVG:
        return counter ? agg.sum / Math.max(1, agg.count) : agg.mean();
      case SUM:
        return agg.sum;
      case MIN:
        return agg.min;
      case MAX:
        return agg.max;
      case LAST:
        return agg.last;
      case COUNT:
        return agg.count;
      case RATE:
        return agg.sum / (rule.window().toMillis() / 1000.0);
      case P50:
        return agg.sketch.quantile(0.5);
      case P90:
        return agg.sketch.quantile(0.9);
      case P95:
        return agg.sketch.quantile(0.95);
      default:
        return agg.sketch.quantile(0.99);
    }
  }

  private static boolean matches(AlertRule rule, String service, LogRecord r) {
    return r.service().equals(service) && r.level().compareTo(rule.logLevel()) >= 0
        && (rule.logContains().isEmpty() || r.message().contains(rule.logContains()));
  }

  private Alert withEvidence(Alert a, AlertRule rule, long now) {
    int max = config.maxEvidence();
    if (max == 0) {
      return a;
    }
    long from = now - rule.window().toMillis();
    TimeWindow window = new TimeWindow(from, now + 1);
    Set<String> traceIds = new LinkedHashSet<>();
    List<LogRecord> lines = new ArrayList<>();
    if (rule.source() == AlertSource.LOG) {
      logs.forEach(from, now + 1, r -> {
        if (matches(rule, a.serviceName(), r)) {
          if (lines.size() < max) {
            lines.add(r);
          }
          if (r.traceId() != null && traceIds.size() < max) {
            traceIds.add(r.traceId());
          }
        }
      });
    }
    List<Object[]> candidates = new ArrayList<>(); // {traceId, failed, durationNanos}
    traces.forEachAnalysis(from, now + 1, t -> {
      boolean failed = false;
      long longest = -1;
      for (SpanData s : t.spansById().values()) {
        if (s.serviceName().equals(a.serviceName())) {
          failed |= s.error();
          longest = Math.max(longest, s.durationNanos());
        }
      }
      if (longest >= 0) {
        candidates.add(new Object[] {t.metrics().traceId(), failed, longest});
      }
    });
    candidates.sort(Comparator.comparing((Object[] c) -> !(Boolean) c[1]).thenComparing(c -> -(Long) c[2]));
    for (Object[] c : candidates) {
      if (traceIds.size() >= max) {
        break;
      }
      traceIds.add((String) c[0]);
    }
    for (String id : traceIds) {
      for (LogRecord r : logs.byTrace(id)) {
        if (lines.size() < 2 * max && !lines.contains(r)) {
          lines.add(r);
        }
      }
    }
    List<DependencyEdge> edges = correlator.dependencies(window, a.serviceName());
    List<DependencyEdge> failing = new ArrayList<>();
    for (DependencyEdge e : edges) {
      if (e.errors() > 0) {
        failing.add(e);
      }
    }
    List<DependencyEdge> chosen = failing.isEmpty() ? edges : failing;
    chosen.sort(Comparator.comparingDouble(DependencyEdge::errorRate).reversed());
    AlertEvidence ev = new AlertEvidence(new ArrayList<>(traceIds), lines, chosen.subList(0, Math.min(max, chosen.size())));
    return new Alert(a.ruleId(), a.serviceName(), a.severity(), a.message(), a.condition(), a.state(), a.value(),
        a.activeSinceEpochMillis(), a.firedAtEpochMillis(), a.resolvedAtEpochMillis(), a.labels(), ev);
  }

  private List<AlertNotification> notify(List<Instance> instances, long now) {
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
      String key = labels.toString();
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

  private void deliveryFailed() {
    failures.incrementAndGet();
    bad.count("alert", "notification_failed");
  }

  private void prune(long now) {
    long cutoff = now - config.alertRetention().toMillis();
    while (!history.isEmpty() && history.peekFirst().resolvedAtEpochMillis() < cutoff) {
      history.pollFirst();
    }
  }
}
