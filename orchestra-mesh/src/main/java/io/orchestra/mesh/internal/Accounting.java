package io.orchestra.mesh.internal;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.Span;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.PeerContext;

/**
 * Accounts for attempts and requests once they end: breakers, in-flight counts, passive health
 * reports to the instance source, metrics, spans and access logs. Shared by the synchronous path
 * of {@link MeshEngine} and by {@link Exchange}. Thread-safe; allocation-free unless sampled.
 */
final class Accounting {
  private final InstanceSource instances;
  private final MeshTelemetry telemetry;

  Accounting(InstanceSource instances, MeshTelemetry telemetry) {
    this.instances = instances;
    this.telemetry = telemetry;
  }

  /** Starts the span of one attempt (only for sampled requests with a trace context) at the given time. */
  Span startAttemptSpan(
      Request request,
      DestinationState ds,
      InstanceState target,
      CompiledService.Choice choice,
      TraceContext context,
      TraceContext parent,
      int attempt,
      long startEpochNanos) {
    if (context == null) {
      return Span.NOOP;
    }
    try {
      return telemetry.sink
          .startSpan(ds.attemptSpanName(request.method()), TelemetrySink.SpanKind.CLIENT, context, parent.spanId(), startEpochNanos)
          .attribute("http.method", request.method())
          .attribute("http.url", request.path())
          .attribute("peer.service", ds.service)
          .attribute("instance.id", target.id)
          .attribute("mesh.route", choice.rule)
          .attribute("mesh.attempt", attempt);
    } catch (RuntimeException e) {
      return Span.NOOP;
    }
  }

  /** Accounts for one finished attempt: in-flight count, instance breaker, passive health, telemetry. */
  void endAttempt(DestinationState ds, InstanceState target, CallOutcome outcome, int status, long nanos, Span span) {
    endAttempt(ds, target, outcome, status, nanos, span, MeshTelemetry.UNKNOWN_EPOCH);
  }

  /**
   * {@link #endAttempt(DestinationState, InstanceState, CallOutcome, int, long, Span)} for an
   * attempt whose span started at {@code spanStartEpochNanos}: the span ends {@code nanos} later,
   * without another wall-clock read.
   */
  void endAttempt(
      DestinationState ds, InstanceState target, CallOutcome outcome, int status, long nanos, Span span, long spanStartEpochNanos) {
    target.leave();
    record(target.breaker, outcome, nanos);
    try {
      instances.report(target.instance, outcome, nanos);
    } catch (RuntimeException e) {
      // The instance source's problem; the request goes on.
    }
    telemetry.attempt(ds.service, target, outcome, nanos);
    if (span != Span.NOOP) {
      try {
        if (status > 0) {
          span.attribute("http.status_code", status);
        }
        if (outcome.isFailure()) {
          span.error(outcome.name());
        }
        span.end(telemetry.epochNanosAfter(spanStartEpochNanos, nanos));
      } catch (RuntimeException e) {
        // Telemetry must not break the call path.
      }
    }
  }

  /**
   * Accounts for a finished request: the service breaker, request metrics, access log, root span.
   * The access log and root span are dated from {@code startEpochNanos}, the wall clock read at
   * ticker reading {@code start}, or from a fresh reading when it is {@link
   * MeshTelemetry#UNKNOWN_EPOCH}.
   */
  void finish(
      DestinationState ds,
      CircuitBreaker serviceBreaker,
      int status,
      CallOutcome outcome,
      long start,
      long end,
      Request request,
      PeerContext peer,
      InstanceState target,
      CompiledService.Choice choice,
      boolean sampled,
      TraceContext parent,
      Span root,
      long startEpochNanos) {
    long nanos = end - start;
    record(serviceBreaker, outcome, nanos);
    ds.metrics.record(peer.sourceService(), request.method(), status, outcome, nanos);
    if (sampled) {
      telemetry.accessLog(request, peer, ds.service, target == null ? null : target.id, status, nanos, parent, startEpochNanos);
      if (root != Span.NOOP) {
        try {
          root.attribute("mesh.route", choice.rule);
          if (status > 0) {
            root.attribute("http.status_code", status);
          }
          if (outcome.isFailure()) {
            root.error(outcome.name());
          }
          root.end(telemetry.epochNanosAfter(startEpochNanos, nanos));
        } catch (RuntimeException e) {
          // Telemetry must not break the call path.
        }
      }
    }
  }

  /** Reports to a breaker (if any); successes skip the failure-set lookup of {@code onResult}. */
  static void record(CircuitBreaker breaker, CallOutcome outcome, long nanos) {
    if (breaker == null) {
      return;
    }
    if (outcome == CallOutcome.SUCCESS) {
      breaker.onSuccess(nanos);
    } else {
      breaker.onResult(outcome, nanos);
    }
  }
}
