package io.orchestra.mesh.internal;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.internal.Durations;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.Span;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.Transport;
import io.orchestra.core.transport.TransportException;
import io.orchestra.mesh.MeshConfig;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.RejectionReason;
import io.orchestra.mesh.SecurityDecision;
import io.orchestra.mesh.policy.MeshPolicies;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The request pipeline behind {@code TrafficManager}, in the seed's order: security (mTLS,
 * authorization, rate limits, allowed methods), the service's circuit breaker, the instances,
 * traffic splitting, balancing, then the attempt with retries, and telemetry.
 *
 * <p>A request reads the policy set once. When the transport completes the first attempt
 * synchronously with a final answer (an in-process transport, a cache), the whole route allocates
 * nothing beyond what tracing needs; otherwise an {@link Exchange} carries the request through
 * timeouts and retries asynchronously. Nothing here throws into the caller: failures become
 * rejection responses or an exceptionally completed stage. Thread-safe.
 */
public final class MeshEngine {
  private static final byte SAMPLED = 1;
  private static final byte NOT_SAMPLED = 0;

  final InstanceSource instances;
  final Transport transport;
  final Ticker ticker;
  final Clock clock;
  final Scheduler scheduler;
  private final Executor executor;
  final RandomSource random;
  final MeshTelemetry telemetry;
  private final MeshConfig config;
  private final boolean breakersEnabled;
  private final boolean normalizePaths;
  private final SecurityGate security;
  final Accounting accounting;
  private final LocalAnswers answers;
  private final AtomicReference<PolicySet> policies;
  private final Destinations destinations;

  /** An engine with its collaborators; {@code policies} are compiled now. */
  public MeshEngine(
      MeshConfig config,
      MeshPolicies policies,
      InstanceSource instances,
      Transport transport,
      TelemetrySink sink,
      Ticker ticker,
      Clock clock,
      Scheduler scheduler,
      Executor executor,
      RandomSource random) {
    this.config = config;
    this.instances = instances;
    this.transport = transport;
    this.ticker = ticker;
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.random = random;
    this.telemetry = new MeshTelemetry(sink, config.observability(), clock);
    this.breakersEnabled = config.traffic().circuitBreakerEnabled();
    this.normalizePaths = config.security().normalizePaths();
    this.security = new SecurityGate(config.security());
    this.accounting = new Accounting(instances, telemetry);
    this.destinations =
        new Destinations(
            instances,
            ticker,
            telemetry,
            breakersEnabled,
            // A "for ever" period must neither throw nor overflow the sweep's ticker arithmetic.
            Math.min(Durations.saturatedNanos(config.traffic().destinationIdleTimeout()), Long.MAX_VALUE / 4));
    this.answers = new LocalAnswers(telemetry, ticker, clock, security.allowHeader);
    this.policies = new AtomicReference<>(PolicySet.compile(policies, config, ticker, clock, null));
  }

  /** The configuration. */
  public MeshConfig config() {
    return config;
  }

  /** The policy document in force. */
  public MeshPolicies policies() {
    return policies.get().source();
  }

  /**
   * Compiles {@code next} and swaps it in atomically; requests already running keep the set they
   * started with.
   */
  public void updatePolicies(MeshPolicies next) {
    policies.getAndUpdate(previous -> PolicySet.compile(next, config, ticker, clock, previous));
  }

  // ------------------------------------------------------------------ the pipeline

  /** Routes {@code request} from {@code peer} to {@code destination}. Never throws. */
  public CompletionStage<Response> route(Request request, PeerContext peer, String destination) {
    long start = ticker.read();
    try {
      if (request == null || peer == null || destination == null || destination.isBlank()) {
        String detail =
            request == null ? "the request is missing" : peer == null ? "the peer context is missing" : "the destination service is missing";
        return CompletableFuture.completedFuture(
            Responses.rejection(RejectionReason.INVALID_REQUEST, null, null, detail, 0, null));
      }
      return routeChecked(request, peer, destination, start);
    } catch (RuntimeException e) {
      // A bug or a misbehaving port (instance source, sink) must not surface as an exception.
      return CompletableFuture.completedFuture(
          Responses.rejection(
              RejectionReason.INTERNAL_ERROR, destination, null, "internal error: " + e, 0, null));
    }
  }

  private CompletionStage<Response> routeChecked(Request sent, PeerContext peer, String destination, long start) {
    PolicySet ps = policies.get();
    // From here on every step (authorization, route rules, rate-limit keys, the forwarded
    // request, logs) sees the normalized path; null when the path is ambiguous (answered below,
    // once the trace context is known, so that the rejection is accounted like a denial).
    Request request = normalizePaths ? normalized(sent) : sent;

    // Trace context: the caller's, or a new root; the sampling decision covers spans and logs.
    // A new trace that is not sampled lives in these locals only (no context objects): its ids go
    // into the outgoing traceparent and, without a route key, into the split. `parent` is set
    // whenever the request is sampled and traced.
    boolean traced = telemetry.tracing;
    TraceContext parent = null;
    boolean sampled = false;
    boolean newTrace = false;
    long traceHigh = 0;
    long traceLow = 0;
    if (traced) {
      parent = W3CTraceContext.extract(sent.headers());
      if (parent == null) {
        newTrace = true;
        traceHigh = nonZero();
        traceLow = nonZero();
        sampled = telemetry.samplesTrace(traceLow); // from the id's random bits: no draw of its own
        if (sampled) {
          // Only a recorded root span needs an id of its own: an unsampled root is never sent.
          parent = TraceContext.of(traceHigh, traceLow, nonZero(), true);
        }
      } else {
        sampled = parent.sampled();
        traceHigh = parent.traceIdHigh();
        traceLow = parent.traceIdLow();
      }
    } else if (telemetry.accessLogs) {
      sampled = sample();
    }

    // 1. Security, in the seed's order.
    if (destinations.maybeSweep(start)) {
      ps.rateLimiter.sweepIdleTables(); // once per idle period, on the same request
    }
    DestinationState ds = destinations.get(destination);
    if (request == null) {
      return answers.reject(
          RejectionReason.INVALID_REQUEST,
          null,
          PathNormalizer.rejectionDetail(sent.path()),
          0,
          ds != null ? ds : destinations.known(destination),
          sent,
          peer,
          destination,
          start,
          sampled,
          parent);
    }
    DestinationPolicy dp = ds != null ? ds.policy(ps) : ps.destination(destination);
    SecurityGate.Verdict denied = security.evaluate(dp, request, peer, false, start);
    if (denied != null) {
      if (ds == null) {
        ds = destinations.known(destination); // so that the denial is counted under its service
      }
      return answers.reject(
          denied.reason, denied.policy, denied.detail, denied.retryAfterNanos, ds, request, peer, destination, start, sampled, parent);
    }

    // 2. Destination state, created only for services that have instances (bounds the map).
    List<ServiceInstance> list = instances.instances(destination);
    if (ds == null) {
      if (list == null || list.isEmpty()) {
        return answers.reject(
            RejectionReason.NO_AVAILABLE_INSTANCES, null, noInstances(destination), 0, null, request, peer, destination, start, sampled, parent);
      }
      ds = destinations.stateOf(destination);
    }
    CompiledService svc = dp.service;

    // 3. The service's circuit breaker; in half-open state this request is a probe.
    CircuitBreaker serviceBreaker = null;
    boolean probe = false;
    if (breakersEnabled) {
      serviceBreaker = ds.breaker(svc.breakerConfig);
      if (!serviceBreaker.tryAcquirePermission()) {
        return answers.serviceCircuitOpen(ds, serviceBreaker, request, peer, start, sampled, parent);
      }
      probe = serviceBreaker.state() == CircuitState.HALF_OPEN;
    }

    // 4. Instances, traffic splitting and balancing.
    InstanceView view = ds.view(list == null ? List.of() : list, svc);
    if (view.isEmpty()) {
      release(serviceBreaker);
      return answers.reject(
          RejectionReason.NO_AVAILABLE_INSTANCES, null, noInstances(destination), 0, ds, request, peer, destination, start, sampled, parent);
    }
    long key = svc.needsKey ? routeKey(svc, request, peer, traced, traceHigh, traceLow) : 0;
    CompiledService.Choice choice = svc.split(view, request, peer.sourceService(), key);
    Group group = view.group(choice.subset);
    InstanceState target = acquire(svc, group, probe, null, 0);
    if (target == null) {
      release(serviceBreaker);
      if (!Balancer.anyRefused(group)) { // no breaker refuses: every candidate is drained (weight 0)
        return answers.reject(
            RejectionReason.NO_AVAILABLE_INSTANCES, null, drained(destination, choice), 0, ds, request, peer, destination, start, sampled, parent);
      }
      return answers.instancesCircuitOpen(ds, group, request, peer, start, sampled, parent);
    }
    RetryBudgetState budget = ds.budget(svc.retry.policy.budget());
    budget.onRequest();
    return firstAttempt(request, peer, ds, svc, serviceBreaker, budget, group, choice, target, start, sampled, newTrace, traceHigh, traceLow, parent);
  }

  /**
   * Step 5 of {@link #routeChecked}: the first attempt, finished inline when the transport answers
   * synchronously with a final answer, else handed to an {@link Exchange}.
   *
   * <p>A method of its own (too big for C2 to inline into its caller) so that each half of the
   * pipeline gets its own inlining budget: in one method the pipeline's inlined bytecode passed
   * C2's {@code DesiredMethodLimit}, and whether the transport call and the accounting after it
   * were inlined (and the outgoing request scalar-replaced) then depended on the fork.
   */
  private CompletionStage<Response> firstAttempt(
      Request request,
      PeerContext peer,
      DestinationState ds,
      CompiledService svc,
      CircuitBreaker serviceBreaker,
      RetryBudgetState budget,
      Group group,
      CompiledService.Choice choice,
      InstanceState target,
      long start,
      boolean sampled,
      boolean newTrace,
      long traceHigh,
      long traceLow,
      TraceContext parent) {
    boolean traced = telemetry.tracing;
    long timeout = request.timeoutNanos() > 0 ? request.timeoutNanos() : svc.timeoutNanos;
    long deadline = start + timeout;
    Span root = Span.NOOP;
    // One wall-clock read for a sampled request's spans: the root and the first attempt start
    // together (the pipeline before the send takes well under the clock's millisecond).
    // The span ends and the access log are dated from it too (no further wall-clock read).
    long startEpoch = sampled && traced ? telemetry.epochNanos() : MeshTelemetry.UNKNOWN_EPOCH;
    if (sampled && newTrace) {
      root = telemetry.startSpan(ds.rootSpanName, TelemetrySink.SpanKind.INTERNAL, parent, 0, startEpoch);
    }
    // The clock is read twice per request (at the start and at the end): what the pipeline
    // spent before sending (well under a microsecond) counts toward the first attempt.
    long perTry = Math.min(svc.retry.perTryNanos, timeout);
    // The attempt's span id: a full child context only when sampled (the span needs it).
    TraceContext attemptContext = null;
    long attemptSpanId = 0;
    if (traced) {
      if (sampled) {
        attemptContext = parent.newChild(random);
        attemptSpanId = attemptContext.spanId();
      } else {
        attemptSpanId = nonZero(); // newChild's one draw
      }
    }
    Span span = sampled ? accounting.startAttemptSpan(request, ds, target, choice, attemptContext, parent, 0, startEpoch) : Span.NOOP;
    long t0 = start;
    target.enter();
    Request out;
    if (!traced) {
      out = request.withTimeoutNanos(perTry);
    } else if (newTrace) {
      out = TraceHeaders.outgoing(request, traceHigh, traceLow, attemptSpanId, sampled ? SAMPLED : NOT_SAMPLED, "", perTry);
    } else {
      out = TraceHeaders.outgoing(request, traceHigh, traceLow, attemptSpanId, parent.flags(), parent.traceState(), perTry);
    }
    CompletionStage<Response> stage = send(target, out);

    if (stage instanceof CompletableFuture<Response> cf && cf.isDone() && !cf.isCompletedExceptionally()) {
      // Synchronous answer: finish inline when no retry is due, without allocating an Exchange.
      Response r = cf.getNow(null);
      if (r != null) { // a null answer breaks the transport contract; the Exchange reports it
        CallOutcome outcome = r.outcome();
        if (outcome == CallOutcome.SUCCESS || svc.retry.maxRetries == 0 || !svc.retry.retriable(outcome, r.status())) {
          long now = ticker.read();
          accounting.endAttempt(ds, target, outcome, r.status(), now - t0, span, startEpoch);
          accounting.finish(ds, serviceBreaker, r.status(), outcome, start, now, request, peer, target, choice, sampled, parent, root, startEpoch);
          return cf;
        }
      }
    }
    TraceContext retryParent = parent;
    if (traced && retryParent == null) {
      // Retries draw their span ids from a context; its own span id is never sent (unsampled).
      retryParent = TraceContext.of(traceHigh, traceLow, nonZero(), false);
    }
    Exchange exchange =
        new Exchange(this, ds, svc, serviceBreaker, budget, group, request, peer, choice, sampled, retryParent, root, start, deadline, target);
    return exchange.start(stage, target, t0, span, perTry);
  }

  /**
   * Runs the security checks alone (for inbound requests the application serves itself): the same
   * checks and order as {@link #route}, rate-limit permits included. Never throws.
   */
  public SecurityDecision check(Request request, PeerContext peer, String destination) {
    if (request == null || peer == null || destination == null || destination.isBlank()) {
      return SecurityDecision.deny(
          RejectionReason.INVALID_REQUEST, null, "request, peer and destination are required", PeerIdentity.anonymous(), null);
    }
    try {
      Request normal = normalizePaths ? normalized(request) : request;
      if (normal == null) {
        return SecurityDecision.deny(
            RejectionReason.INVALID_REQUEST, null, PathNormalizer.rejectionDetail(request.path()), PeerIdentity.anonymous(), null);
      }
      DestinationState ds = destinations.get(destination);
      PolicySet ps = policies.get();
      DestinationPolicy dp = ds != null ? ds.policy(ps) : ps.destination(destination);
      return security.evaluate(dp, normal, peer, true, ticker.read()).toDecision(normal.path());
    } catch (RuntimeException e) {
      return SecurityDecision.deny(RejectionReason.INTERNAL_ERROR, null, "internal error: " + e, PeerIdentity.anonymous(), null);
    }
  }

  // ------------------------------------------------------------------ steps shared with Exchange

  /** An instance of {@code group} holding a breaker permit, or null when none can take the call. */
  InstanceState acquire(CompiledService svc, Group group, boolean probe, InstanceState[] tried, int triedCount) {
    InstanceState[] avoid = tried;
    int avoidCount = triedCount;
    for (int round = 0; round <= group.members.length; round++) {
      InstanceState s =
          probe
              ? Balancer.healthiest(group, avoid, avoidCount)
              : Balancer.select(svc.loadBalancing, group, avoid, avoidCount, random);
      if (s == null) {
        return null;
      }
      if (s.tryAcquire()) {
        return s;
      }
      // Lost a race for the instance's last half-open permit: avoid it and choose again (rare).
      InstanceState[] more = new InstanceState[avoidCount + 1];
      if (avoidCount > 0) {
        System.arraycopy(avoid, 0, more, 0, avoidCount);
      }
      more[avoidCount++] = s;
      avoid = more;
    }
    return null;
  }

  /** Sends through the transport; a transport that throws becomes a failed stage. */
  CompletionStage<Response> send(InstanceState target, Request out) {
    try {
      CompletionStage<Response> stage = transport.send(target.instance.endpoint(), out);
      if (stage != null) {
        return stage;
      }
      return CompletableFuture.failedFuture(
          new TransportException(CallOutcome.FAILURE, target.instance.endpoint(), "transport returned null", null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new TransportException(CallOutcome.FAILURE, target.instance.endpoint(), "transport threw " + e, e));
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * {@code request} itself when its path is already normal (no allocation), a copy carrying the
   * normalized path, or null when the path is ambiguous.
   */
  private static Request normalized(Request request) {
    String path = request.path();
    String normal = PathNormalizer.normalize(path);
    if (normal == path) {
      return request;
    }
    return normal == null ? null : request.toBuilder().path(normal).build();
  }

  private boolean sample() {
    double rate = telemetry.samplingRate;
    return rate >= 1.0 || (rate > 0 && random.nextDouble() < rate);
  }

  /** A random id that is not 0 (an all-zero W3C id is invalid), as {@code TraceContext} draws them. */
  private long nonZero() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  /**
   * The request key for percentages and weights: the route-key header, else the trace id (stable
   * for one logical request across retries and hops), else the client address, else random.
   */
  private long routeKey(CompiledService svc, Request request, PeerContext peer, boolean traced, long traceHigh, long traceLow) {
    String v = PolicyMatching.header(request.headers(), svc.routeKeyHeader);
    if (v != null) {
      return StableHash.hash(v);
    }
    if (traced) {
      return StableHash.hash(traceHigh, traceLow);
    }
    if (peer.clientAddress() != null) {
      return StableHash.hash(peer.clientAddress());
    }
    return random.nextLong();
  }

  /**
   * Runs {@code task} after {@code delayNanos}: the scheduler times it, the executor runs it (so
   * that retries and the continuations of the caller's stage do not run on the timer thread).
   *
   * @return the timer, or null when the scheduler refused it (typically shut down); callers then
   *     do without it (no retry; timeouts are left to the transport, which gets the per-try timeout)
   */
  Scheduler.Cancellable later(Runnable task, long delayNanos) {
    try {
      return scheduler.schedule(() -> {
        try {
          executor.execute(task);
        } catch (RuntimeException e) {
          task.run(); // a rejecting executor (shut down): run here rather than lose the request
        }
      }, delayNanos);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void release(CircuitBreaker breaker) {
    if (breaker != null) {
      breaker.releasePermission();
    }
  }

  private static String noInstances(String destination) {
    return "no instance of service " + destination + " is available";
  }

  private static String drained(String destination, CompiledService.Choice choice) {
    return "every instance of service " + destination + " for route " + choice.rule + " has weight 0 (drained)";
  }

  /** The state of {@code destination}'s breaker, or null when there is none yet. */
  public CircuitState circuitState(String destination) {
    DestinationState ds = destination == null ? null : destinations.peek(destination);
    CircuitBreaker b = ds == null ? null : ds.currentBreaker();
    return b == null ? null : b.state();
  }

  /** The runtime state of {@code destination}, or null (for tests). */
  DestinationState destination(String destination) {
    return destinations.peek(destination);
  }
}
