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
  /** The random part of a trace id (W3C Trace Context level 2: its rightmost seven bytes). */
  private static final long RANDOM_BITS = (1L << 56) - 1;

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
  /** A start time not read: {@link #epochNanosAfter} reads the clock instead. */
  static final long UNKNOWN_EPOCH = Long.MIN_VALUE;
  /** Below this value of its random bits a new trace is sampled. */
  private final long sampledBelow;
  private final Clock clock;

  MeshTelemetry(TelemetrySink sink, ObservabilityConfig config, Clock clock) {
    this.sink = sink;
    this.metrics = config.metricsCollection();
    this.tracing = config.tracingEnabled();
    this.accessLogs = config.accessLogging();
    this.samplingRate = config.samplingRate();
    this.accessLogSampleRate = samplingRate > 0 ? Math.min(1.0, samplingRate) : 1.0;
    this.sampledBelow = (long) (samplingRate * 0x1.0p56); // 0 samples nothing; 1 is decided before comparing
    this.clock = clock;
  }

  /** Whether anything is sampled at all (spans or logs). */
  boolean samplesAnything() {
    return (tracing || accessLogs) && samplingRate > 0;
  }

  /**
   * The sampling decision for a new trace, from the random low 56 bits of its trace id (the part
   * W3C Trace Context level 2 calls random): sampled when they fall below {@code samplingRate}
   * of their range, as OpenTelemetry's trace-id-ratio sampler decides. Every service that samples
   * this way at the same rate agrees on a trace, and no random draw is spent on the decision.
   */
  boolean samplesTrace(long traceIdLow) {
    return samplingRate >= 1.0 || (traceIdLow & RANDOM_BITS) < sampledBelow;
  }

  long epochNanos() {
    return clock.millis() * 1_000_000L;
  }

  /**
   * The wall-clock time {@code elapsedNanos} (of the ticker) after {@code startEpochNanos}, or a
   * fresh reading when the start is {@link #UNKNOWN_EPOCH}: a sampled request reads the wall clock
   * once, at its start, and dates its span ends and access log from there (a wall-clock read
   * costs as much as a ticker read, ~30 ns on the EPYC host).
   */
  long epochNanosAfter(long startEpochNanos, long elapsedNanos) {
    return startEpochNanos == UNKNOWN_EPOCH ? epochNanos() : startEpochNanos + elapsedNanos;
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
      // First attempt with this outcome (or the instance has left: then null, nothing recorded).
      t = instance.attemptTimer(outcome, () -> timer(sink, ATTEMPTS, attemptTags(service, instance.id, outcome)));
    }
    try {
      (t == null ? NO_TIMER : t).record(nanos);
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the request still completes.
    }
  }

  /** The tags of an {@code orchestra.mesh.attempts} timer: made and removed with the same ones. */
  private static Tags attemptTags(String service, String instanceId, CallOutcome outcome) {
    return Tags.of("service", service, "instance", instanceId, "outcome", outcome.name().toLowerCase(Locale.ROOT));
  }

  /**
   * Retires an instance that left {@code service}'s list and removes the meters registered for
   * it, so that instance churn (autoscaling, redeploys under new ids) does not grow the
   * application's registry without bound. Called where the instance list change is handled,
   * never per request; a sink that throws is ignored (the list change and routing go on).
   */
  void forget(String service, InstanceState instance) {
    for (CallOutcome o : instance.retire()) {
      try {
        sink.remove(ATTEMPTS, attemptTags(service, instance.id, o));
      } catch (RuntimeException e) {
        // A sink must not throw; if one does, the meter stays and routing is unaffected.
      }
    }
  }

  /** Removes the {@code name} meter of {@code service} (a dropped destination's counter). */
  void forget(String name, String service) {
    if (!metrics) {
      return;
    }
    try {
      sink.remove(name, Tags.of("service", service));
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the meter stays and routing is unaffected.
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

  /**
   * One access-log record with the seed's fields (call only for sampled requests), dated {@code
   * nanos} after {@code startEpochNanos}, or now when that is {@link #UNKNOWN_EPOCH} (see {@link
   * #epochNanosAfter}).
   */
  void accessLog(
      io.orchestra.core.transport.Request request,
      io.orchestra.mesh.PeerContext peer,
      String destination,
      String instanceId,
      int status,
      long nanos,
      io.orchestra.core.trace.TraceContext trace,
      long startEpochNanos) {
    if (!accessLogs) {
      return;
    }
    try {
      sink.accessLog(
          new AccessLogRecord(
              epochNanosAfter(startEpochNanos, nanos) / 1_000_000L,
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
