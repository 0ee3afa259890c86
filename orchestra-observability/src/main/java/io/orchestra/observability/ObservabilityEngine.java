package io.orchestra.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Transport;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvaluation;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.Notifier;
import io.orchestra.observability.alerts.WebhookNotifier;
import io.orchestra.observability.correlation.CorrelationResult;
import io.orchestra.observability.correlation.ServiceCorrelation;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.internal.SinkRecords;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.logs.LogsResult;
import io.orchestra.observability.metrics.Anomaly;
import io.orchestra.observability.metrics.MetricPoint;
import io.orchestra.observability.metrics.MetricsResult;
import io.orchestra.observability.metrics.Rollup;
import io.orchestra.observability.traces.DependencyEdge;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import io.orchestra.observability.traces.TraceSampler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The observability engine of the seed's section 5: metrics (normalized, rolled up at every
 * aggregation level with bounded-error quantiles, cardinality-guarded, anomaly-checked, published
 * to Micrometer), logs (parsed, masked, enriched, metric-extracted), traces (deterministically
 * sampled, validated, assembled, analysed), correlation by service and by request, alert rules
 * with evidence and notifications, and service health dashboards.
 *
 * <p>It is a {@link TelemetrySink}: give it to the other Orchestra engines and their counters,
 * timers, gauges, spans, access logs and events land here. Recording through a handle is
 * lock-free and allocation-free; a sampled span costs one small object and one buffer slot.
 *
 * <p>Bad input (malformed lines, invalid values, spans with unknown parents, oversized traces,
 * unknown services) is never thrown: it is counted ({@link #badInput()}) and reported in the
 * per-call results, and everything else in the same call is kept.
 *
 * <p>Build with {@link #builder()}; {@link #close()} stops the periodic collection and alert
 * evaluation. Thread-safe.
 */
public final class ObservabilityEngine implements TelemetrySink, AutoCloseable {
  private final ObservabilityConfig config;
  private final Clock clock;
  private final EngineParts parts;
  private final TelemetryIntake intake;
  private final PeriodicWork periodic;

  private ObservabilityEngine(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.parts = new EngineParts(b.config, b.clock, b.ticker, b.registry, b.executor, b.logForwarder, b.notifiers, b.rules);
    this.intake = new TelemetryIntake(parts);
    this.periodic = new PeriodicWork(parts, b.scheduler, this::evaluateAlertRules);
    periodic.start();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration. */
  public ObservabilityConfig config() {
    return config;
  }

  // ---- seed API ----

  /**
   * The seed's {@code collectServiceMetrics}: each entry is normalized, validated (NaN, infinite,
   * negative counters and unusable names are rejected with a reason), stored at every
   * aggregation level and judged for anomalies; then the service's alert rules are evaluated.
   * Types are inferred from the names (see {@link io.orchestra.observability.metrics.MetricType}).
   */
  public MetricsResult collectServiceMetrics(String serviceName, Map<String, ? extends Number> metrics) {
    return intake.metrics(serviceName, metrics);
  }

  /** Like {@link #collectServiceMetrics(String, Map)} with typed, labelled points. */
  public MetricsResult collectServiceMetrics(String serviceName, List<MetricPoint> points) {
    return intake.metrics(serviceName, points);
  }

  /**
   * The seed's {@code processServiceLogs}: every line is parsed (JSON, key=value or text), masked
   * before it is stored or forwarded, enriched with service, environment, cluster and trace id;
   * metrics are extracted, error logs detected; then the service's alert rules are evaluated.
   */
  public LogsResult processServiceLogs(String serviceName, List<String> logEntries) {
    return intake.logs(serviceName, logEntries);
  }

  /**
   * The seed's {@code collectDistributedTrace}: validates ids, timestamps and size; keeps the
   * trace only when its id samples in (the same decision in every engine); merges it with parts
   * already stored, including sink spans of it that ended before this call; returns its
   * hierarchy, metrics and anomalies.
   */
  public TraceResult collectDistributedTrace(TraceData trace) {
    return intake.trace(trace);
  }

  /** The seed's {@code correlateObservabilityData} over {@code timeWindow}. */
  public CorrelationResult correlateObservabilityData(TimeWindow timeWindow) {
    Checks.notNull("timeWindow", timeWindow);
    long start = parts.ticker.read();
    parts.harvest();
    return parts.correlator.correlate(timeWindow, clock.millis(), start, parts.ticker);
  }

  /** {@link #correlateObservabilityData(TimeWindow)} over the last {@code duration}. */
  public CorrelationResult correlateObservabilityData(Duration duration) {
    return correlateObservabilityData(TimeWindow.last(duration, clock));
  }

  /**
   * The seed's {@code evaluateAlertRules}: evaluates every rule now, or at the time of the last
   * evaluation when another caller's, started later, ran first (evaluations run one at a time and
   * alert times never go backwards; see {@link AlertEvaluation#evaluatedAtEpochMillis()}).
   */
  public AlertEvaluation evaluateAlertRules() {
    parts.harvest();
    return parts.alerts.evaluate(null, clock.millis(), parts.knownServices.view());
  }

  /** Evaluates the rules that apply to {@code serviceName} now. */
  public AlertEvaluation evaluateAlertRules(String serviceName) {
    parts.harvest();
    if (serviceName != null && !parts.knownServices.contains(serviceName)) {
      parts.bad.count("service", "unknown");
    }
    return parts.alerts.evaluate(serviceName, clock.millis(), parts.knownServices.view());
  }

  /**
   * The seed's {@code generateServiceHealthDashboard}. Unknown services get an empty document. A
   * service past {@link ObservabilityConfig#maxTrackedServices()} gets its dashboard from its
   * stored data like any other. While data keeps arriving each panel is read consistently (the
   * KPIs never count more errors than requests) and a document showing any data is {@code known}.
   */
  public ServiceHealthDashboard generateServiceHealthDashboard(String serviceName, TimeWindow timeRange) {
    Checks.notNull("timeRange", timeRange);
    long now = clock.millis();
    parts.harvest();
    CorrelationResult c = parts.correlator.correlate(timeRange, now, parts.ticker.read(), parts.ticker);
    ServiceCorrelation sc = c.service(String.valueOf(serviceName));
    ServiceHealthDashboard d = parts.dashboards.build(String.valueOf(serviceName), timeRange, sc, now);
    // An untracked service (past the bound) that has data is not unknown: ask the data as well.
    if (!parts.knownServices.contains(serviceName) && !d.known()) {
      parts.bad.count("service", "unknown");
    }
    return d;
  }

  /** {@link #generateServiceHealthDashboard(String, TimeWindow)} over the last {@code duration}. */
  public ServiceHealthDashboard generateServiceHealthDashboard(String serviceName, Duration duration) {
    return generateServiceHealthDashboard(serviceName, TimeWindow.last(duration, clock));
  }

  // ---- queries ----

  /**
   * The roll-up windows of one series ({@code metric} normalized, {@code labels} a subset of the
   * series' labels; empty for all) at aggregation level index {@code level} within {@code
   * window}; empty when no series matches or the level does not exist.
   *
   * @throws IllegalArgumentException naming the argument when one is null
   */
  public List<Rollup> rollups(String service, String metric, Map<String, String> labels, int level, TimeWindow window) {
    Checks.notNull("service", service);
    Checks.notNull("metric", metric);
    Checks.notNull("labels", labels);
    Checks.notNull("window", window);
    parts.harvest();
    return SinkRecords.rollups(parts.metrics, service, metric, labels, level, window, clock.millis());
  }

  /** The service dependency graph of the traces in {@code window}. */
  public List<DependencyEdge> dependencyGraph(TimeWindow window) {
    return parts.correlator.dependencies(window, null);
  }

  /** The masked log lines stored for {@code traceId}. */
  public List<LogRecord> logsForTrace(String traceId) {
    return parts.logStore.byTrace(traceId);
  }

  /**
   * Metric anomalies judged recently (at most 1,000), oldest first by {@link
   * Anomaly#detectedAtEpochMillis()}, also when batches were judged concurrently.
   */
  public List<Anomaly> recentAnomalies() {
    return parts.anomalies.snapshot();
  }

  /** Trace anomalies of recently completed traces (bounded), oldest first. */
  public List<TraceAnomaly> recentTraceAnomalies() {
    return parts.traces.recentAnomalies();
  }

  /** Pending and firing alerts. */
  public List<Alert> activeAlerts() {
    return parts.alerts.active();
  }

  /**
   * Resolved alerts within {@link AlertingConfig#alertRetention()}, at most {@link
   * AlertingConfig#maxHistory()} of them and {@link AlertingConfig#maxHistoryBytes()} estimated
   * bytes (the oldest leave first), oldest first.
   */
  public List<Alert> alertHistory() {
    return parts.alerts.history(clock.millis());
  }

  /** Adds or replaces an alert rule. */
  public void addAlertRule(AlertRule rule) {
    parts.alerts.addRule(Checks.notNull("rule", rule));
  }

  /** Removes an alert rule; returns whether it existed. */
  public boolean removeAlertRule(String ruleId) {
    return parts.alerts.removeRule(ruleId);
  }

  /**
   * Services the engine has data for and tracks, sorted: at most {@link
   * ObservabilityConfig#maxTrackedServices()}; services first seen past that bound are not listed.
   */
  public Set<String> services() {
    return new TreeSet<>(parts.knownServices.view());
  }

  /** Counts of refused or repaired input. */
  public BadInputReport badInput() {
    return parts.bad.snapshot();
  }

  /** Number of metric series. */
  public int seriesCount() {
    return parts.metrics.size();
  }

  /** Live distinct values of a tag on a metric, as the cardinality guard sees them. */
  public int distinctTagValues(String metric, String tagKey) {
    return parts.metrics.distinctValues(metric, tagKey);
  }

  /** The deterministic sampler this engine uses. */
  public TraceSampler sampler() {
    return parts.traces.sampler();
  }

  /** Harvests sink handles into roll-ups now and completes every stored trace. */
  public void flush() {
    parts.harvest();
    parts.traces.complete(true);
  }

  // ---- TelemetrySink ----

  @Override
  public Counter counter(String name, Tags tags) {
    return parts.sinkMetrics.counter(name, tags == null ? Tags.empty() : tags);
  }

  @Override
  public Timer timer(String name, Tags tags) {
    return parts.sinkMetrics.timer(name, tags == null ? Tags.empty() : tags);
  }

  @Override
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    if (value != null) {
      parts.sinkMetrics.gauge(name, tags == null ? Tags.empty() : tags, value);
    }
  }

  @Override
  public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    return parts.traces.startSpan(name, kind, context, parentSpanId, startEpochNanos);
  }

  @Override
  public void accessLog(AccessLogRecord record) {
    if (record != null) {
      parts.sinkRecords.accessLog(record, clock.millis());
    }
  }

  @Override
  public void event(TelemetryEvent event) {
    if (event != null) {
      parts.sinkRecords.event(event, clock.millis());
    }
  }

  // ---- lifecycle ----

  /** Stops periodic work; recording and queries keep working. Idempotent. */
  @Override
  public void close() {
    periodic.close();
  }

  /** Builds an {@link ObservabilityEngine}; not thread-safe. */
  public static final class Builder {
    private ObservabilityConfig config = ObservabilityConfig.defaults();
    private Clock clock = Clocks.system();
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler = Scheduler.systemDefault();
    private RandomSource random = RandomSource.system();
    private MeterRegistry registry;
    private Transport transport;
    private Executor executor = ForkJoinPool.commonPool();
    private Consumer<LogRecord> logForwarder;
    private final Map<String, Notifier> notifiers = new HashMap<>();
    private final List<AlertRule> rules = new ArrayList<>();
    private Endpoint webhookEndpoint;
    private String webhookPath;

    private Builder() {}

    /** The configuration; default {@link ObservabilityConfig#defaults()}. */
    public Builder config(ObservabilityConfig v) {
      this.config = Checks.notNull("config", v);
      return this;
    }

    /** Wall clock for timestamps and windows; default the system clock. */
    public Builder clock(Clock v) {
      this.clock = Checks.notNull("clock", v);
      return this;
    }

    /** Monotonic time for durations; default the system ticker. */
    public Builder ticker(Ticker v) {
      this.ticker = Checks.notNull("ticker", v);
      return this;
    }

    /** Runs the periodic collection and alert evaluation; default the shared system scheduler. */
    public Builder scheduler(Scheduler v) {
      this.scheduler = Checks.notNull("scheduler", v);
      return this;
    }

    /** Randomness (reserved for jitter; sampling is deterministic); default the system source. */
    public Builder random(RandomSource v) {
      this.random = Checks.notNull("random", v);
      return this;
    }

    /** Micrometer registry the series are published to; default none. */
    public Builder meterRegistry(MeterRegistry v) {
      this.registry = Checks.notNull("meterRegistry", v);
      return this;
    }

    /** Transport for the webhook notifier. */
    public Builder transport(Transport v) {
      this.transport = Checks.notNull("transport", v);
      return this;
    }

    /** Runs span drains off the recording thread (which drains a full buffer itself unless {@code tracing.whenBufferFull} is SHED); default the common fork-join pool. */
    public Builder executor(Executor v) {
      this.executor = Checks.notNull("executor", v);
      return this;
    }

    /** Receives every processed (masked) log record when log forwarding is on; default none. */
    public Builder logForwarder(Consumer<LogRecord> v) {
      this.logForwarder = Checks.notNull("logForwarder", v);
      return this;
    }

    /** Binds {@code notifier} to the notification channel {@code channel}. */
    public Builder notifier(String channel, Notifier notifier) {
      notifiers.put(Checks.notBlank("channel", channel), Checks.notNull("notifier", notifier));
      return this;
    }

    /** Binds a {@link WebhookNotifier} (through the {@link #transport}) to channel {@code webhook}. */
    public Builder webhook(Endpoint endpoint, String path) {
      this.webhookEndpoint = Checks.notNull("endpoint", endpoint);
      this.webhookPath = Checks.notBlank("path", path);
      return this;
    }

    /** Adds an alert rule (besides the configured ones). */
    public Builder alertRule(AlertRule rule) {
      rules.add(Checks.notNull("rule", rule));
      return this;
    }

    /** The engine; starts the periodic collection and alert evaluation on the scheduler. */
    public ObservabilityEngine build() {
      if (webhookEndpoint != null) {
        Checks.argument(transport != null, "webhook needs a transport: call transport(...) as well");
        notifiers.put("webhook", new WebhookNotifier(transport, webhookEndpoint, webhookPath, Duration.ofSeconds(10)));
      }
      Checks.notNull("random", random);
      return new ObservabilityEngine(this);
    }
  }
}
