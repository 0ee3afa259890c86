package io.orchestra.observability;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.observability.alerts.AlertRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Immutable alert settings, the seed's {@code alerting} section plus rules and grouping.
 *
 * @param evaluationInterval how often every rule is evaluated; default 1 min (seed)
 * @param alertRetention resolved alerts are kept in the history this long (and at most {@code
 *     maxHistory} of them); default 24 h (seed)
 * @param notificationChannels channel names notifications go to; each needs a notifier registered
 *     on the engine's builder under that name; default email, slack, webhook (seed)
 * @param groupBy alert labels whose values group alerts into one notification; default service and
 *     severity
 * @param repeatInterval a still-firing group is notified again after this long; zero never;
 *     default zero
 * @param maxEvidence exemplar trace ids, log lines and edges attached to an alert, each at most;
 *     default 5
 * @param maxActiveAlerts pending and firing alerts (one per rule and service) kept at most; must
 *     be &gt; 0; default 10,000, so that one {@code *} rule can fire for every service the default
 *     {@code maxTrackedServices} tracks. Service names come from telemetry, so without a bound a
 *     {@code *} rule breached by a new name per request would grow memory (and every evaluation)
 *     forever. Past the bound a breach of a rule and service with no alert yet raises none: it is
 *     counted as {@code alert.active_overflow} (once per refused evaluation, the first logged once
 *     at WARN) and tried again at the next evaluation of that rule and service, so it raises its
 *     alert once another one resolves (or its rule is removed) while it still holds. Alerts already pending or firing are
 *     never dropped to make room: they progress, fire and resolve (with their notifications) as
 *     usual; resolved alerts leave at once for the history
 * @param maxHistory resolved alerts kept in the history at most, besides {@code alertRetention};
 *     must be &gt; 0; default 10,000, the default {@code maxActiveAlerts}, so that every alert the
 *     engine can hold at once can resolve once and still all be in the history (a whole wave, such
 *     as one {@code *} rule resolving for every tracked service). Without a count, services that
 *     each breach once, or a flapping alert (up to one resolution every other evaluation), would
 *     grow the history without a bound within the retention. Past the bound the oldest resolved
 *     alert leaves first, counted as {@code alert.history_overflow}; the history holds resolved
 *     alerts only, so no pending or firing alert is ever dropped by it
 * @param maxHistoryBytes estimated bytes the resolved alerts in the history may hold at most,
 *     besides {@code alertRetention} and {@code maxHistory}; must be &gt; 0; default 64 MiB. A
 *     resolved alert keeps its evidence, up to {@code 2 * maxEvidence} log lines, after the log
 *     store evicts them, and a line can be {@code logging.maxLineLength} (16 Ki) chars, so the
 *     count alone let the history hold gigabytes. The estimate is approximate but deterministic: 2
 *     bytes a char of every string (UTF-16's worst case; ASCII text takes half with compact
 *     strings) plus a fixed overhead per object, see {@code
 *     io.orchestra.observability.internal.AlertBytes} (not API). Why 64 MiB: an alert with
 *     ordinary labels, 5 exemplar trace ids and 5 edges is estimated at about 3 KB, an ordinary
 *     log line (200 chars, a few fields) at about 1.5 KB, so a whole wave of {@code maxHistory}
 *     (10,000) alerts with two or three such lines each (6.7 KB) still fits, and for alerts
 *     without log lines the count binds first; alerts holding ten lines of 16 Ki chars (about a
 *     third of a MiB each) keep the newest 200 or so. It is a small share of a service heap, and
 *     well below what the log store itself may hold. Past the budget the oldest resolved alert
 *     leaves first, counted as {@code alert.history_overflow} as for the count. An alert estimated
 *     above the whole budget on its own enters with log lines dropped from the end until it fits
 *     ({@link io.orchestra.observability.alerts.AlertEvidence#omittedLogLines()} says how many;
 *     counted as {@code alert.history_trimmed}; its notifications carried them all), and, should
 *     its labels and ids alone exceed the budget, with none, as the only alert in the history.
 *     Nothing is refused or thrown, and pending or firing alerts are never affected
 * @param rules the initial rules (ids unique); default none
 */
@JsonDeserialize(builder = AlertingConfig.Builder.class)
public record AlertingConfig(
    Duration evaluationInterval,
    Duration alertRetention,
    List<String> notificationChannels,
    List<String> groupBy,
    Duration repeatInterval,
    int maxEvidence,
    int maxActiveAlerts,
    int maxHistory,
    long maxHistoryBytes,
    List<AlertRule> rules) {

  /** Validates every field; see {@link Builder}. */
  public AlertingConfig {
    Checks.positive("alerting.evaluationInterval", evaluationInterval);
    Checks.positive("alerting.alertRetention", alertRetention);
    Checks.noNulls("alerting.notificationChannels", notificationChannels);
    for (int i = 0; i < notificationChannels.size(); i++) {
      Checks.notBlank("alerting.notificationChannels[" + i + "]", notificationChannels.get(i));
    }
    notificationChannels = List.copyOf(new java.util.LinkedHashSet<>(notificationChannels));
    groupBy = List.copyOf(Checks.noNulls("alerting.groupBy", groupBy));
    Checks.nonNegative("alerting.repeatInterval", repeatInterval);
    Checks.inRange("alerting.maxEvidence", maxEvidence, 0, 1000);
    Checks.positive("alerting.maxActiveAlerts", maxActiveAlerts);
    Checks.positive("alerting.maxHistory", maxHistory);
    Checks.positive("alerting.maxHistoryBytes", maxHistoryBytes);
    Checks.noNulls("alerting.rules", rules);
    Set<String> ids = new HashSet<>();
    for (AlertRule r : rules) {
      Checks.argument(ids.add(r.id()), "alerting.rules has a duplicate id \"%s\"", r.id());
    }
    rules = List.copyOf(rules);
  }

  /** The defaults. */
  public static AlertingConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .evaluationInterval(evaluationInterval)
        .alertRetention(alertRetention)
        .notificationChannels(notificationChannels)
        .groupBy(groupBy)
        .repeatInterval(repeatInterval)
        .maxEvidence(maxEvidence)
        .maxActiveAlerts(maxActiveAlerts)
        .maxHistory(maxHistory)
        .maxHistoryBytes(maxHistoryBytes)
        .rules(rules);
  }

  /** Builds an {@link AlertingConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Duration evaluationInterval = Duration.ofMinutes(1);
    private Duration alertRetention = Duration.ofHours(24);
    private List<String> notificationChannels = List.of("email", "slack", "webhook");
    private List<String> groupBy = List.of("service", "severity");
    private Duration repeatInterval = Duration.ZERO;
    private int maxEvidence = 5;
    private int maxActiveAlerts = 10_000;
    private int maxHistory = 10_000;
    private long maxHistoryBytes = 64L * 1024 * 1024;
    private List<AlertRule> rules = new ArrayList<>();

    private Builder() {}

    /** Evaluation period. */
    public Builder evaluationInterval(Duration v) {
      this.evaluationInterval = v;
      return this;
    }

    /** History retention of resolved alerts. */
    public Builder alertRetention(Duration v) {
      this.alertRetention = v;
      return this;
    }

    /** Channel names. */
    public Builder notificationChannels(List<String> v) {
      this.notificationChannels = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** Grouping labels. */
    public Builder groupBy(List<String> v) {
      this.groupBy = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** Re-notification period of firing groups. */
    public Builder repeatInterval(Duration v) {
      this.repeatInterval = v;
      return this;
    }

    /** Evidence items per kind. */
    public Builder maxEvidence(int v) {
      this.maxEvidence = v;
      return this;
    }

    /** Pending and firing alerts kept at most; must be &gt; 0. */
    public Builder maxActiveAlerts(int v) {
      this.maxActiveAlerts = v;
      return this;
    }

    /** Resolved alerts kept in the history at most; must be &gt; 0; the oldest leaves first. */
    public Builder maxHistory(int v) {
      this.maxHistory = v;
      return this;
    }

    /**
     * Estimated bytes the resolved alerts in the history may hold at most; must be &gt; 0; the
     * oldest leaves first.
     */
    public Builder maxHistoryBytes(long v) {
      this.maxHistoryBytes = v;
      return this;
    }

    /** Initial rules. */
    public Builder rules(List<AlertRule> v) {
      this.rules = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** Adds one rule. */
    public Builder rule(AlertRule rule) {
      this.rules.add(rule);
      return this;
    }

    /** The validated configuration. */
    public AlertingConfig build() {
      return new AlertingConfig(
          evaluationInterval, alertRetention, notificationChannels, groupBy, repeatInterval, maxEvidence, maxActiveAlerts,
          maxHistory, maxHistoryBytes, rules);
    }
  }
}
