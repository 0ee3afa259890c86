package io.orchestra.mesh.internal;

import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.RejectionReason;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Requests the traffic manager answers itself (security denials, no instances, open circuits):
 * builds the answer and accounts for it in metrics and, when sampled, the access log. Thread-safe.
 */
final class LocalAnswers {
  private final MeshTelemetry telemetry;
  private final Ticker ticker;
  private final Clock clock;
  private final String allowHeader;
  private final RequestMetrics unknownDestination;

  LocalAnswers(MeshTelemetry telemetry, Ticker ticker, Clock clock, String allowHeader) {
    this.telemetry = telemetry;
    this.ticker = ticker;
    this.clock = clock;
    this.allowHeader = allowHeader;
    this.unknownDestination = telemetry.requestMetrics("unknown");
  }

  /**
   * A rejection for {@code reason}.
   *
   * @param ds the destination's state, or null when it has none (metrics go under "unknown")
   */
  CompletionStage<Response> reject(
      RejectionReason reason,
      String policy,
      String detail,
      long retryAfterNanos,
      DestinationState ds,
      Request request,
      PeerContext peer,
      String destination,
      long start,
      boolean sampled,
      TraceContext parent) {
    Response response =
        Responses.rejection(
            reason, destination, policy, detail, retryAfterNanos, reason == RejectionReason.METHOD_NOT_ALLOWED ? allowHeader : null);
    RequestMetrics metrics = ds != null ? ds.metrics : unknownDestination;
    return account(metrics, reason, response, request, peer, destination, start, sampled, parent);
  }

  /** The seed's 503 while the service's breaker refuses calls. */
  CompletionStage<Response> serviceCircuitOpen(
      DestinationState ds, CircuitBreaker breaker, Request request, PeerContext peer, long start, boolean sampled, TraceContext parent) {
    long wait = breaker.nanosUntilRetry();
    Instant next = wait == Long.MAX_VALUE ? null : clock.instant().plusNanos(wait);
    Response response = Responses.circuitOpen(ds.service, stateName(breaker.state()), next, wait, "service");
    return account(ds.metrics, RejectionReason.CIRCUIT_OPEN, response, request, peer, ds.service, start, sampled, parent);
  }

  /**
   * 503 when every candidate instance's breaker refuses calls (or is drained); retry at the
   * earliest reopening among the breakers that refuse.
   */
  CompletionStage<Response> instancesCircuitOpen(
      DestinationState ds, Group group, Request request, PeerContext peer, long start, boolean sampled, TraceContext parent) {
    long wait = Long.MAX_VALUE;
    for (InstanceState s : group.members) {
      CircuitBreaker b = s.breaker;
      if (b != null && !b.isCallPermitted()) { // a drained instance's closed breaker says nothing
        wait = Math.min(wait, b.nanosUntilRetry());
      }
    }
    Instant next = wait == Long.MAX_VALUE ? null : clock.instant().plusNanos(wait);
    Response response = Responses.circuitOpen(ds.service, "open", next, wait, "every instance of service");
    return account(ds.metrics, RejectionReason.CIRCUIT_OPEN, response, request, peer, ds.service, start, sampled, parent);
  }

  private CompletionStage<Response> account(
      RequestMetrics metrics,
      RejectionReason reason,
      Response response,
      Request request,
      PeerContext peer,
      String destination,
      long start,
      boolean sampled,
      TraceContext parent) {
    long nanos = ticker.read() - start;
    metrics.rejection(reason);
    metrics.record(peer.sourceService(), request.method(), response.status(), CallOutcome.CLIENT_ERROR, nanos);
    if (sampled) {
      telemetry.accessLog(request, peer, destination, null, response.status(), nanos, parent, MeshTelemetry.UNKNOWN_EPOCH);
    }
    return CompletableFuture.completedFuture(response);
  }

  /** The seed's state names: {@code open}, {@code half-open}. */
  static String stateName(CircuitState state) {
    switch (state) {
      case HALF_OPEN:
        return "half-open";
      case FORCED_OPEN:
        return "forced-open";
      case CLOSED:
        return "closed";
      case DISABLED:
        return "disabled";
      default:
        return "open";
    }
  }
}
