package io.orchestra.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestra.core.time.Ticker;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.Notifier;
import io.orchestra.observability.internal.AlertManager;
import io.orchestra.observability.internal.BadInputCounters;
import io.orchestra.observability.internal.Correlator;
import io.orchestra.observability.internal.DashboardBuilder;
import io.orchestra.observability.internal.LogPipeline;
import io.orchestra.observability.internal.LogStore;
import io.orchestra.observability.internal.MetricCollector;
import io.orchestra.observability.internal.MetricStore;
import io.orchestra.observability.internal.SinkMetrics;
import io.orchestra.observability.internal.SinkRecords;
import io.orchestra.observability.internal.TracePipeline;
import io.orchestra.observability.internal.TrackedServices;
import io.orchestra.observability.logs.LogRecord;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The engine's internal pieces and how they connect, built once from the builder's settings: the
 * stores (metrics, logs, traces), the pipelines that fill them, the sink adapters, the tracked
 * service names, correlation, alerting and dashboards, all counting bad input into one {@link
 * BadInputCounters}. The whole chain is visible here; the engine, its intake and its periodic work
 * only use it. Thread-safe as its parts are.
 */
final class EngineParts {
  final ObservabilityConfig config;
  final Clock clock;
  final Ticker ticker;
  final BadInputCounters bad;
  final TrackedServices knownServices;
  final MetricStore metrics;
  final MetricCollector collector;
  final SinkMetrics sinkMetrics;
  final LogStore logStore;
  final LogPipeline logs;
  final TracePipeline traces;
  final SinkRecords sinkRecords;
  final Correlator correlator;
  final AlertManager alerts;
  final DashboardBuilder dashboards;
  final RecentAnomalies anomalies = new RecentAnomalies();

  EngineParts(
      ObservabilityConfig config,
      Clock clock,
      Ticker ticker,
      MeterRegistry registry,
      Executor executor,
      Consumer<LogRecord> logForwarder,
      Map<String, Notifier> notifiers,
      List<AlertRule> rules) {
    this.config = config;
    this.clock = clock;
    this.ticker = ticker;
    this.bad = new BadInputCounters(registry);
    this.knownServices = new TrackedServices(config.maxTrackedServices(), bad);
    this.metrics = new MetricStore(config, registry, bad);
    this.collector = new MetricCollector(metrics, config.metrics(), bad);
    this.sinkMetrics = new SinkMetrics(metrics, config.serviceName(), clock, bad);
    this.logStore = new LogStore(config.logging().maxStoredLogs());
    this.logs = new LogPipeline(config, logStore, metrics, bad, logForwarder);
    this.traces = new TracePipeline(config, bad, ticker, executor);
    this.sinkRecords = new SinkRecords(config, metrics, logs, knownServices);
    this.correlator = new Correlator(config, metrics, logStore, traces);
    this.alerts = new AlertManager(config.alerting(), metrics, logStore, traces, correlator, new HashMap<>(notifiers), bad);
    rules.forEach(alerts::addRule);
    this.dashboards = new DashboardBuilder(config, metrics, logStore, traces, correlator);
  }

  /**
   * Harvests the sink handles into the roll-ups, as every query does first. Whatever was recorded
   * happened before now: a harvest exactly on a boundary belongs to the window that ends there.
   * Only the collection tick judges anomalies (over whole intervals).
   */
  void harvest() {
    metrics.harvest(clock.millis() - 1, false);
  }
}
