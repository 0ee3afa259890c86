package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.mesh.ObservabilityConfig;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * The traffic manager's link to the {@link TelemetrySink}: metric handles (created once, then
 * reused), breaker transition events, access-log records and spans. Metrics are never sampled;
 * spans and access logs are, by the caller's decision. Thread-safe.
 */
final class MeshTelemetry {
  static final String SOURCE = "orchestra-mesh";
  static final String ATTEMPTS = "orchestra.mesh.attempts";
  static final String RETRIES = "orchestra.mesh.retries";
  static final String BUDGET_EXHAUSTED = "orchestra.mesh.retry.budget.exhausted";
  private static final TelemetrySink.Timer NO_TIMER = nanos -> {};
  private static final TelemetrySink.Counter NO_COUNTER = amount -> {};

  final TelemetrySink sink;
  final boolean metrics;
  final boolean tracing;
  final boolean accessLogs;
  final double samplingRate;
  /**
   * The rate stamped on access logs so consumers can scale counts: the configured rate (also for
   * requests that follow a caller's sampling decision, whose rate is unknown here), or 1 when the
   * rate is 0 and only callers' decisions get a request logged.
   */
  private final double accessLogSampleRate;
  private final Clock clock;

  MeshTelemetry(TelemetrySink sink, ObservabilityConfig config, Clock clock) {
    this.sink = sink;
    this.metrics = config.metricsCollection();
    this.tracing = config.tracingEnabled();
    this.accessLogs = config.accessLogging();
    this.samplingRate = config.samplingRate();
    this.accessLogSampleRate = samplingRate > 0 ? Math.min(1.0, samplingRate) : 1.0;
    this.clock = clock;
  }

  /** Whether anything is sampled at all (spans or logs). */
  boolean samplesAnything() {
    return (tracing || accessLogs) && samplingRate > 0;
  }

  long epochNanos() {
    return clock.millis() * 1_000_000L;
  }

  long epochMillis() {
    return clock.millis();
  }

  RequestMetrics requestMetrics(String service) {
    return new RequestMetrics(metrics ? sink : null, service);
  }

  TelemetrySink.Counter counter(String name, String service) {
    return metrics ? counter(sink, name, Tags.of("service", service)) : NO_COUNTER;
  }

  /** A counter handle, or a no-op one if the sink fails to make it. */
  static TelemetrySink.Counter counter(TelemetrySink sink, String name, Tags tags) {
    try {
      TelemetrySink.Counter c = sink.counter(name, tags);
      return c == null ? NO_COUNTER : c;
    } catch (RuntimeException e) {
      return NO_COUNTER;
    }
  }

  /** A timer handle, or a no-op one if the sink fails to make it. */
  static TelemetrySink.Timer timer(TelemetrySink sink, String name, Tags tags) {
    try {
      TelemetrySink.Timer t = sink.timer(name, tags);
      return t == null ? NO_TIMER : t;
    } catch (RuntimeException e) {
      return NO_TIMER;
    }
  }

  /** Records one attempt on {@code instance} under the {@code orchestra.mesh.attempts} timer. */
  void attempt(String service, InstanceState instance, CallOutcome outcome, long nanos) {
    if (!metrics) {
      return;
    }
    TelemetrySink.Timer t = instance.attemptTimer(outcome);
    if (t == null) {
      t =
          instance.attemptTimer(
              outcome,
              timer(
                  sink,
                  ATTEMPTS,
                  Tags.of(
                      "service", service,
                      "instance", instance.id,
                      "outcome", outcome.name().toLowerCase(Locale.ROOT))));
    }
    try {
      (t == null ? NO_TIMER : t).record(nanos);
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the request still completes.
    }
  }

  /** Increments a counter handle, shielding the caller from a sink that throws. */
  static void increment(TelemetrySink.Counter counter) {
    try {
      counter.increment();
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the request still completes.
    }
  }

  /** Starts a span, or returns {@link TelemetrySink.Span#NOOP} if the sink fails. */
  TelemetrySink.Span startSpan(
      String name, TelemetrySink.SpanKind kind, io.orchestra.core.trace.TraceContext context, long parentSpanId, long startEpochNanos) {
    try {
      TelemetrySink.Span s = sink.startSpan(name, kind, context, parentSpanId, startEpochNanos);
      return s == null ? TelemetrySink.Span.NOOP : s;
    } catch (RuntimeException e) {
      return TelemetrySink.Span.NOOP;
    }
  }

  /** Publishes breaker transitions as {@code circuit_breaker.state_transition} events. */
  void watch(CircuitBreaker breaker, String service, String instanceId) {
    breaker.onStateTransition(
        t -> {
          try {
            sink.event(
                new TelemetryEvent(
                    "circuit_breaker.state_transition",
                    SOURCE,
                    clock.millis(),
                    Map.of(
                        "breaker", t.breakerName(),
                        "service", service,
                        "instance", instanceId == null ? "" : instanceId,
                        "from", t.from().name(),
                        "to", t.to().name())));
          } catch (RuntimeException e) {
            // Telemetry must never break the call path.
          }
        });
  }

  /** One access-log record with the seed's fields (call only for sampled requests). */
  void accessLog(
      io.orchestra.core.transport.Request request,
      io.orchestra.mesh.PeerContext peer,
      String destination,
      String instanceId,
      int status,
      long nanos,
      io.orchestra.core.trace.TraceContext trace) {
    if (!accessLogs) {
      return;
    }
    try {
      sink.accessLog(
          new AccessLogRecord(
              clock.millis(),
              peer.clientAddress(),
              peer.sourceService(),
              destination,
              instanceId,
              request.method(),
              request.path(),
              status,
              nanos,
              request.headers().get("user-agent"),
              trace == null ? null : trace.traceIdHex(),
              accessLogSampleRate));
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the request still completes.
    }
  }
}
