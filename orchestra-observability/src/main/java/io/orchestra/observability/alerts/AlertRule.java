package io.orchestra.observability.alerts;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.observability.Severity;
import io.orchestra.observability.logs.LogLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable alert rule over a metric or over logs, with Prometheus-like timing: the condition
 * must hold for {@code forDuration} (pending) before the alert fires, and a firing alert stays
 * firing for {@code keepFiringFor} after the condition clears, so that a flapping signal does not
 * resolve and re-fire on every evaluation.
 *
 * @param id unique rule id
 * @param service the service it watches, or {@code *} for every service with data
 * @param source metric or log
 * @param metric metric name (normalized like every metric name) for metric rules, else empty
 * @param aggregation how the windows reduce to one value (metric rules); default AVG
 * @param logLevel log rules count lines at this level or above; default ERROR
 * @param logContains log rules count only lines whose masked message contains this text; empty
 *     for all
 * @param comparison how value and threshold compare; default GT
 * @param threshold the threshold
 * @param window how far back the value looks; default 5 min
 * @param forDuration how long the condition must hold before firing (JSON {@code for}); default 0
 * @param keepFiringFor how long a firing alert stays firing after the condition clears; default 0
 * @param severity the alert's severity; default WARNING
 * @param message human text of the alert
 * @param labels extra labels, copied to the alert and usable for grouping
 * @param channels notification channels; empty means every configured channel
 */
@JsonDeserialize(builder = AlertRule.Builder.class)
public record AlertRule(
    String id,
    String service,
    AlertSource source,
    String metric,
    Aggregation aggregation,
    LogLevel logLevel,
    String logContains,
    Comparison comparison,
    double threshold,
    Duration window,
    Duration forDuration,
    Duration keepFiringFor,
    Severity severity,
    String message,
    Map<String, String> labels,
    List<String> channels) {

  /** Wildcard service: the rule applies to every service. */
  public static final String ANY_SERVICE = "*";

  /** Validates every field; see {@link Builder}. */
  public AlertRule {
    Checks.notBlank("alertRule.id", id);
    Checks.notBlank("alertRule[" + id + "].service", service);
    Checks.notNull("alertRule[" + id + "].source", source);
    Checks.notNull("alertRule[" + id + "].metric", metric);
    if (source == AlertSource.METRIC) {
      Checks.notBlank("alertRule[" + id + "].metric", metric);
    }
    Checks.notNull("alertRule[" + id + "].aggregation", aggregation);
    Checks.notNull("alertRule[" + id + "].logLevel", logLevel);
    Checks.notNull("alertRule[" + id + "].logContains", logContains);
    Checks.notNull("alertRule[" + id + "].comparison", comparison);
    Checks.argument(
        Double.isFinite(threshold), "alertRule[%s].threshold must be finite, was %s", id, threshold);
    Checks.positive("alertRule[" + id + "].window", window);
    Checks.nonNegative("alertRule[" + id + "].for", forDuration);
    Checks.nonNegative("alertRule[" + id + "].keepFiringFor", keepFiringFor);
    Checks.notNull("alertRule[" + id + "].severity", severity);
    Checks.notNull("alertRule[" + id + "].message", message);
    labels = Map.copyOf(Checks.notNull("alertRule[" + id + "].labels", labels));
    channels = List.copyOf(Checks.noNulls("alertRule[" + id + "].channels", channels));
  }

  /** A builder for a metric rule. */
  public static Builder metric(String id, String service, String metric) {
    return new Builder().id(id).service(service).source(AlertSource.METRIC).metric(metric);
  }

  /** A builder for a log rule. */
  public static Builder logs(String id, String service) {
    return new Builder().id(id).service(service).source(AlertSource.LOG);
  }

  /** An empty builder (for JSON/YAML). */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the rule applies to {@code serviceName}. */
  public boolean appliesTo(String serviceName) {
    return service.equals(ANY_SERVICE) || service.equals(serviceName);
  }

  /** The condition as text, such as {@code avg(http.request.duration) > 500.0 over PT5M}. */
  public String condition() {
    String subject =
        source == AlertSource.METRIC
            ? aggregation.name().toLowerCase(Locale.ROOT) + "(" + metric + ")"
            : "count(logs level>=" + logLevel + (logContains.isEmpty() ? "" : " contains \"" + logContains + "\"") + ")";
    return subject + " " + comparison.symbol() + " " + threshold + " over " + window
        + (forDuration.isZero() ? "" : " for " + forDuration);
  }

  /** Builds an {@link AlertRule}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String id;
    private String service = ANY_SERVICE;
    private AlertSource source = AlertSource.METRIC;
    private String metric = "";
    private Aggregation aggregation = Aggregation.AVG;
    private LogLevel logLevel = LogLevel.ERROR;
    private String logContains = "";
    private Comparison comparison = Comparison.GT;
    private double threshold;
    private Duration window = Duration.ofMinutes(5);
    private Duration forDuration = Duration.ZERO;
    private Duration keepFiringFor = Duration.ZERO;
    private Severity severity = Severity.WARNING;
    private String message = "";
    private Map<String, String> labels = Map.of();
    private List<String> channels = List.of();

    private Builder() {}

    /** Unique id. */
    public Builder id(String v) {
      this.id = v;
      return this;
    }

    /** Watched service or {@code *}. */
    public Builder service(String v) {
      this.service = v;
      return this;
    }

    /** Metric or log. */
    public Builder source(AlertSource v) {
      this.source = v;
      return this;
    }

    /** Metric name. */
    public Builder metric(String v) {
      this.metric = v;
      return this;
    }

    /** Reduction of the window. */
    public Builder aggregation(Aggregation v) {
      this.aggregation = v;
      return this;
    }

    /** Minimum level counted by log rules. */
    public Builder logLevel(LogLevel v) {
      this.logLevel = v;
      return this;
    }

    /** Text a counted line must contain. */
    public Builder logContains(String v) {
      this.logContains = v;
      return this;
    }

    /** Comparison operator. */
    public Builder comparison(Comparison v) {
      this.comparison = v;
      return this;
    }

    /** Threshold. */
    public Builder threshold(double v) {
      this.threshold = v;
      return this;
    }

    /** Shorthand for {@code comparison(GT).threshold(v)}. */
    public Builder above(double v) {
      return comparison(Comparison.GT).threshold(v);
    }

    /** Shorthand for {@code comparison(LT).threshold(v)}. */
    public Builder below(double v) {
      return comparison(Comparison.LT).threshold(v);
    }

    /** Look-back window. */
    public Builder window(Duration v) {
      this.window = v;
      return this;
    }

    /** Pending duration before firing. */
    @JsonAlias("for")
    public Builder forDuration(Duration v) {
      this.forDuration = v;
      return this;
    }

    /** Firing hold after the condition clears. */
    public Builder keepFiringFor(Duration v) {
      this.keepFiringFor = v;
      return this;
    }

    /** Severity. */
    public Builder severity(Severity v) {
      this.severity = v;
      return this;
    }

    /** Message. */
    public Builder message(String v) {
      this.message = v;
      return this;
    }

    /** Extra labels. */
    public Builder labels(Map<String, String> v) {
      this.labels = v;
      return this;
    }

    /** Channels. */
    public Builder channels(List<String> v) {
      this.channels = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** The validated rule. */
    public AlertRule build() {
      return new AlertRule(
          id, service, source, metric, aggregation, logLevel, logContains, comparison, threshold,
          window, forDuration, keepFiringFor, severity, message, labels, channels);
    }
  }
}
