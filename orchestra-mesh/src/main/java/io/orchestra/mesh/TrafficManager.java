package io.orchestra.mesh;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.ServiceClient;
import io.orchestra.core.transport.Transport;
import io.orchestra.mesh.internal.MeshEngine;
import io.orchestra.mesh.policy.MeshPolicies;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An in-process service-mesh data plane: put it in front of a service's outbound calls (and use
 * {@link #checkSecurity} on its inbound ones). {@link #route} applies, in the seed's order:
 *
 * <ol>
 *   <li>path normalization (unless {@code security.normalizePaths} is off): percent-encoded
 *       unreserved characters decoded, slashes merged, dot segments removed; every later step and
 *       the forwarded request see the normalized path, and an ambiguous path (an encoded slash or
 *       backslash, a backslash, a malformed percent-encoding) is answered 400 {@code
 *       invalid_request};
 *   <li>security: mTLS peer verification, authorization policies (DENY wins, default deny), rate
 *       limits, allowed methods; a failed check is answered locally (401/403/429/405, reason in
 *       {@code x-orchestra-rejection});
 *   <li>the destination's circuit breaker (503 with {@code circuitState} and {@code nextRetryAt}
 *       while open; half-open probes go to the healthiest instance);
 *   <li>the instances from the {@link InstanceSource}, traffic splitting by the service's rules
 *       (stable hash of a request key), and load balancing over the chosen subset, skipping
 *       instances whose own breaker is open;
 *   <li>the call through the {@link Transport}, with per-try timeout, overall deadline, retries
 *       with jittered exponential backoff on other instances, and a retry budget;
 *   <li>telemetry: request/attempt metrics, a span per attempt with W3C trace context in the
 *       outgoing headers, and access logs, the last two sampled.
 * </ol>
 *
 * <p>The returned stage completes with the destination's response (any status), with the
 * manager's own answer, or exceptionally with a {@code TransportException} when no response
 * arrived (connect failure, timeout, reset) after the retries. {@code route} never throws.
 *
 * <p>Policies ({@link MeshPolicies}) can be replaced at run time with {@link #updatePolicies}; the
 * swap is atomic and each request uses one policy set from start to end.
 *
 * <p>Thread-safe; build one per service and share it. Implements {@link ServiceClient} so that
 * other engines (saga steps) call services through the mesh with this manager's local identity.
 */
public final class TrafficManager implements ServiceClient {
  private final MeshEngine engine;
  private final PeerContext localPeer;

  private TrafficManager(Builder b) {
    this.localPeer = b.localPeer;
    this.engine =
        new MeshEngine(
            b.config,
            b.policies,
            b.instances,
            b.transport != null ? b.transport : HttpTransport.create(),
            b.telemetry,
            b.ticker,
            b.clock,
            b.scheduler,
            b.executor,
            b.random);
  }

  /** A builder; an {@link InstanceSource} is required, everything else has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Routes {@code request} to an instance of {@code destinationService}, applying the security
   * checks to the request's peer. Never throws.
   */
  public CompletionStage<Response> route(MeshRequest request, String destinationService) {
    if (request == null) {
      return engine.route(null, localPeer, destinationService);
    }
    return engine.route(request.request(), request.peer(), destinationService);
  }

  /** Routes a request sent by this service itself (its {@linkplain #localPeer() local peer}). */
  public CompletionStage<Response> route(Request request, String destinationService) {
    return engine.route(request, localPeer, destinationService);
  }

  /** {@link ServiceClient}: {@link #route(Request, String)} with this manager's local identity. */
  @Override
  public CompletionStage<Response> call(String serviceName, Request request) {
    return engine.route(request, localPeer, serviceName);
  }

  /**
   * Applies the security checks alone (mTLS, authorization, rate limits, allowed methods) to a
   * request this service receives, on its normalized path as {@link #route} does, and explains
   * the decision (an ambiguous path is denied as {@code invalid_request}). Takes rate-limit permits like
   * {@link #route}. Never throws.
   */
  public SecurityDecision checkSecurity(MeshRequest request, String destinationService) {
    if (request == null) {
      return engine.check(null, null, destinationService);
    }
    return engine.check(request.request(), request.peer(), destinationService);
  }

  /**
   * Replaces every policy atomically. The document was validated when it was built or loaded; here
   * it is compiled, and rate-limit buckets of unchanged policies are kept.
   */
  public void updatePolicies(MeshPolicies policies) {
    engine.updatePolicies(Checks.notNull("policies", policies));
  }

  /** The policies in force. */
  public MeshPolicies policies() {
    return engine.policies();
  }

  /** The configuration. */
  public MeshConfig config() {
    return engine.config();
  }

  /** The identity this manager uses for {@link #call} and {@link #route(Request, String)}. */
  public PeerContext localPeer() {
    return localPeer;
  }

  /**
   * The state of {@code service}'s circuit breaker, or null when the service has not been routed
   * to yet, was dropped as idle ({@code traffic.destinationIdleTimeout}; it starts closed when
   * routed to again), or breakers are disabled. Asking does not count as routing to it.
   */
  public CircuitState circuitState(String service) {
    return engine.circuitState(service);
  }

  @Override
  public String toString() {
    return "TrafficManager[" + localPeer + "]";
  }

  /** Configures a {@link TrafficManager}; not thread-safe. */
  public static final class Builder {
    private MeshConfig config = MeshConfig.defaults();
    private MeshPolicies policies = MeshPolicies.empty();
    private InstanceSource instances;
    private Transport transport;
    private TelemetrySink telemetry = TelemetrySink.noop();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clocks.system();
    private Scheduler scheduler = Scheduler.systemDefault();
    private Executor executor = Runnable::run;
    private RandomSource random = RandomSource.system();
    private PeerContext localPeer = PeerContext.local(null, null, null);

    private Builder() {}

    /** Settings; default {@link MeshConfig#defaults()} (the seed's). */
    public Builder config(MeshConfig config) {
      this.config = Checks.notNull("config", config);
      return this;
    }

    /** The initial policies; default none (with authorization on, that denies everything). */
    public Builder policies(MeshPolicies policies) {
      this.policies = Checks.notNull("policies", policies);
      return this;
    }

    /** Where instances come from (required). */
    public Builder instanceSource(InstanceSource instances) {
      this.instances = Checks.notNull("instanceSource", instances);
      return this;
    }

    /** How requests are sent; default a new {@link HttpTransport} with default settings. */
    public Builder transport(Transport transport) {
      this.transport = Checks.notNull("transport", transport);
      return this;
    }

    /** Where metrics, spans, logs and events go; default {@link TelemetrySink#noop()}. */
    public Builder telemetry(TelemetrySink telemetry) {
      this.telemetry = Checks.notNull("telemetry", telemetry);
      return this;
    }

    /** Monotonic time; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Checks.notNull("ticker", ticker);
      return this;
    }

    /** Wall time (certificate validity, timestamps); default {@link Clocks#system()}. */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull("clock", clock);
      return this;
    }

    /** Timers for timeouts and backoff; default {@link Scheduler#systemDefault()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Checks.notNull("scheduler", scheduler);
      return this;
    }

    /**
     * Where work continues after a timer fires (a retry, a per-try timeout, the deadline), and so
     * where the caller's dependent stages run in those cases; default: directly on the scheduler's
     * thread, which suits short continuations (the default scheduler has a single thread).
     */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull("executor", executor);
      return this;
    }

    /** Randomness (jitter, sampling, ties); default {@link RandomSource#system()}. */
    public Builder random(RandomSource random) {
      this.random = Checks.notNull("random", random);
      return this;
    }

    /**
     * This service's own identity, used for {@link TrafficManager#call} and {@link
     * TrafficManager#route(Request, String)}; must be a {@linkplain PeerContext#local local}
     * context. Default: a local context with no name or identity.
     */
    public Builder localPeer(PeerContext localPeer) {
      Checks.notNull("localPeer", localPeer);
      Checks.argument(localPeer.isLocal(), "localPeer must be a PeerContext.local(...) context, was %s", localPeer);
      this.localPeer = localPeer;
      return this;
    }

    /**
     * The traffic manager.
     *
     * @throws IllegalArgumentException when no instance source was given
     */
    public TrafficManager build() {
      Checks.notNull("instanceSource", instances);
      return new TrafficManager(this);
    }
  }
}
