package io.orchestra.discovery.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.HealthCheck;
import io.orchestra.discovery.Registration;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared, immutable dependencies of one discovery instance, handed to every service entry. */
final class Runtime {
  static final String SOURCE = "orchestra-discovery";

  final DiscoveryConfig config;
  final Ticker ticker;
  final Clock clock;
  final Scheduler scheduler;
  final RandomSource random;
  final TelemetrySink telemetry;
  final Scorer scorer;
  final SnapshotBuilder snapshots;
  final HealthChecker healthChecker; // null when active checks are off
  final HealthCheck defaultHealthCheck;
  final long refreshNanos;
  final long maxStaleNanos;

  Runtime(
      DiscoveryConfig config,
      Ticker ticker,
      Clock clock,
      Scheduler scheduler,
      RandomSource random,
      TelemetrySink telemetry,
      HealthChecker healthChecker) {
    this.config = config;
    this.ticker = ticker;
    this.clock = clock;
    this.scheduler = scheduler;
    this.random = random;
    this.telemetry = telemetry;
    this.scorer = new Scorer(config);
    this.snapshots = new SnapshotBuilder(config, random);
    this.healthChecker = healthChecker;
    this.defaultHealthCheck = config.defaultHealthCheck();
    this.refreshNanos = config.refreshInterval().toNanos();
    this.maxStaleNanos = config.maxStale().toNanos();
  }

  /** A new state for {@code registration}, scored and with its breaker. */
  InstanceState newState(Registration registration, ServiceMetrics metrics, long addedAt) {
    CircuitBreaker breaker =
        config.circuitBreakerEnabled()
            ? CircuitBreaker.of(
                registration.serviceName() + "/" + registration.id(), config.circuitBreaker(), ticker)
            : null;
    InstanceState s =
        new InstanceState(
            registration,
            healthCheckOf(registration),
            breaker,
            metrics.picks(registration.id()),
            addedAt);
    s.trackBreaker();
    scorer.update(s);
    return s;
  }

  HealthCheck healthCheckOf(Registration r) {
    return r.healthCheck() == null ? defaultHealthCheck : r.healthCheck();
  }

  /** When the next refresh falls due: the TTL, moved earlier by up to {@code refreshJitter} at random. */
  long nextRefresh(long now) {
    double jitter = config.refreshJitter() * random.nextDouble();
    return now + (long) (refreshNanos * (1 - jitter));
  }

  /** Emits a domain event; {@code kv} alternates keys and values. */
  void event(String type, String... kv) {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      attrs.put(kv[i], kv[i + 1] == null ? "" : kv[i + 1]);
    }
    telemetry.event(new TelemetryEvent(type, SOURCE, clock.millis(), attrs));
  }
}
