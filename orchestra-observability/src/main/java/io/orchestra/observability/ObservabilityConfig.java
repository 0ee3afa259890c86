package io.orchestra.observability;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;

/**
 * Immutable configuration of an {@link ObservabilityEngine}: the seed's four sections plus the
 * identity every metric is labelled with. Load it from JSON/YAML with {@code
 * io.orchestra.core.config.ConfigLoader}; missing properties keep the defaults.
 *
 * @param serviceName the service this engine runs in; labels telemetry that arrives through the
 *     {@code TelemetrySink} without a {@code service} tag; default {@code application}
 * @param environment value of the {@code environment} label; default {@code production}
 * @param cluster value of the {@code cluster} label; default {@code default}
 * @param metrics metric settings
 * @param logging log settings
 * @param tracing trace settings
 * @param alerting alert settings
 * @param maxRequestCorrelations request correlations returned at most (errors and slowest first);
 *     default 100
 * @param maxTopIssues top issues on a dashboard at most; default 10
 * @param maxTrackedServices service names the engine remembers at most (they come from telemetry,
 *     so without a bound a client sending a new name per request would grow memory forever);
 *     must be &gt; 0; default 10,000. Past the bound a new name's data is still stored, correlated
 *     and alerted on when it arrives, but the name is not listed by {@code services()}, not swept
 *     by the periodic evaluation of {@code *} rules (except while it has a pending or firing
 *     alert), and counts as {@code service.unknown} in {@code evaluateAlertRules(name)}; each refusal
 *     is counted as {@code service.tracking_overflow}. Names already tracked stay tracked. It is
 *     also the budget of the {@code service} label per metric unless {@code metrics.tagBudgets}
 *     names {@code service} (see {@link #tagBudgetFor})
 */
@JsonDeserialize(builder = ObservabilityConfig.Builder.class)
public record ObservabilityConfig(
    String serviceName,
    String environment,
    String cluster,
    MetricsConfig metrics,
    LoggingConfig logging,
    TracingConfig tracing,
    AlertingConfig alerting,
    int maxRequestCorrelations,
    int maxTopIssues,
    int maxTrackedServices) {

  /** The label key that names a metric's service (set by collection, never by a point's labels). */
  public static final String SERVICE_TAG = "service";

  /** Validates every field; see {@link Builder}. */
  public ObservabilityConfig {
    Checks.notBlank("serviceName", serviceName);
    Checks.notBlank("environment", environment);
    Checks.notBlank("cluster", cluster);
    Checks.notNull("metrics", metrics);
    Checks.notNull("logging", logging);
    Checks.notNull("tracing", tracing);
    Checks.notNull("alerting", alerting);
    Checks.inRange("maxRequestCorrelations", maxRequestCorrelations, 0, 1_000_000);
    Checks.inRange("maxTopIssues", maxTopIssues, 0, 10_000);
    Checks.positive("maxTrackedServices", maxTrackedServices);
  }

  /**
   * The budget of distinct values of {@code tagKey} per metric that the metric store applies: an
   * explicit {@code metrics.tagBudgets} entry when there is one; else {@link #maxTrackedServices()}
   * for {@value #SERVICE_TAG}, the dimension that bound already limits, so that a metric keeps
   * as many services apart as the engine tracks and alerts on; else {@code
   * metrics.defaultTagBudget}.
   */
  public int tagBudgetFor(String tagKey) {
    Integer explicit = metrics.tagBudgets().get(tagKey);
    if (explicit != null) {
      return explicit;
    }
    return SERVICE_TAG.equals(tagKey) ? maxTrackedServices : metrics.defaultTagBudget();
  }

  /** The defaults. */
  public static ObservabilityConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .serviceName(serviceName)
        .environment(environment)
        .cluster(cluster)
        .metrics(metrics)
        .logging(logging)
        .tracing(tracing)
        .alerting(alerting)
        .maxRequestCorrelations(maxRequestCorrelations)
        .maxTopIssues(maxTopIssues)
        .maxTrackedServices(maxTrackedServices);
  }

  /** Builds an {@link ObservabilityConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String serviceName = "application";
    private String environment = "production";
    private String cluster = "default";
    private MetricsConfig metrics = MetricsConfig.defaults();
    private LoggingConfig logging = LoggingConfig.defaults();
    private TracingConfig tracing = TracingConfig.defaults();
    private AlertingConfig alerting = AlertingConfig.defaults();
    private int maxRequestCorrelations = 100;
    private int maxTopIssues = 10;
    private int maxTrackedServices = 10_000;

    private Builder() {}

    /** Local service name. */
    public Builder serviceName(String v) {
      this.serviceName = v;
      return this;
    }

    /** Environment label. */
    public Builder environment(String v) {
      this.environment = v;
      return this;
    }

    /** Cluster label. */
    public Builder cluster(String v) {
      this.cluster = v;
      return this;
    }

    /** Metric settings. */
    public Builder metrics(MetricsConfig v) {
      this.metrics = v;
      return this;
    }

    /** Log settings. */
    public Builder logging(LoggingConfig v) {
      this.logging = v;
      return this;
    }

    /** Trace settings. */
    public Builder tracing(TracingConfig v) {
      this.tracing = v;
      return this;
    }

    /** Alert settings. */
    public Builder alerting(AlertingConfig v) {
      this.alerting = v;
      return this;
    }

    /** Request correlations returned at most. */
    public Builder maxRequestCorrelations(int v) {
      this.maxRequestCorrelations = v;
      return this;
    }

    /** Dashboard top issues at most. */
    public Builder maxTopIssues(int v) {
      this.maxTopIssues = v;
      return this;
    }

    /** Service names remembered at most; must be &gt; 0. */
    public Builder maxTrackedServices(int v) {
      this.maxTrackedServices = v;
      return this;
    }

    /** The validated configuration. */
    public ObservabilityConfig build() {
      return new ObservabilityConfig(
          serviceName, environment, cluster, metrics, logging, tracing, alerting, maxRequestCorrelations, maxTopIssues,
          maxTrackedServices);
    }
  }
}
