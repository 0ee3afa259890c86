package io.orchestra.discovery;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Transport;
import io.orchestra.discovery.internal.DiscoveryEngine;
import io.orchestra.discovery.registry.InMemoryRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Finds an instance of a service for each call: the seed's "intelligent service discovery".
 *
 * <pre>{@code
 * ServiceDiscovery discovery = ServiceDiscovery.builder()
 *     .config(DiscoveryConfig.builder().algorithm(LoadBalancing.POWER_OF_TWO_CHOICES).build())
 *     .transport(HttpTransport.create())          // enables active health checks
 *     .build();
 * discovery.register(instance);
 * ServiceInstance target = discovery.discover("orders", ClientContext.of("eu-1a", "eu-1"));
 * // ... call target, then report how it went:
 * discovery.recordResult(target, CallOutcome.SUCCESS, elapsedNanos);
 * }</pre>
 *
 * <p>Sources (registry, DNS, mesh) are queried concurrently and merged; answers are cached per
 * service and refreshed in the background (stale-while-revalidate); instances are health-checked
 * actively (with a transport) and passively (through {@link #recordResult}); each call picks
 * with the service's load balancer. See docs/discovery.md for the full semantics.
 *
 * <p>Thread-safe: any number of threads may discover, report and (de)register at once. {@link
 * #discover} on a warm cache takes no lock and allocates nothing.
 */
public final class ServiceDiscovery implements AutoCloseable {
  private final DiscoveryConfig config;
  private final RegistrySource registry;
  private final Clock clock;
  private final TelemetrySink telemetry;
  private final DiscoveryEngine engine;
  private final InstanceSource instanceSource;

  private ServiceDiscovery(Builder b) {
    this.config = b.config;
    this.registry = b.registry;
    this.clock = b.clock;
    this.telemetry = b.telemetry;
    List<DiscoverySource> sources = new ArrayList<>();
    if (config.mechanisms().contains(Mechanism.REGISTRY)) {
      sources.add(registry);
    }
    for (DiscoverySource s : b.sources) {
      if (config.mechanisms().contains(s.mechanism())) {
        sources.add(s);
      }
    }
    // Merge order decides which copy wins a duplicate: registry, then mesh, then DNS.
    sources.sort(Comparator.comparingInt(ServiceDiscovery::rank));
    this.engine =
        new DiscoveryEngine(
            config, b.ticker, clock, b.scheduler, b.random, telemetry, b.transport, sources);
    this.instanceSource = new DiscoveryInstanceSource(this);
  }

  private static int rank(DiscoverySource s) {
    switch (s.mechanism()) {
      case REGISTRY:
        return 0;
      case MESH:
        return 1;
      default:
        return 2;
    }
  }

  /** A builder with the defaults: seed configuration, system time, in-memory registry. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One instance of {@code serviceName} for a call from a caller without zone, key or deadline.
   *
   * @throws ServiceUnavailableException naming the service when no instance can be found
   * @throws IllegalArgumentException when the name is null or blank
   */
  public ServiceInstance discover(String serviceName) {
    return discover(serviceName, ClientContext.none());
  }

  /**
   * One instance of {@code serviceName} for a call in {@code context}: from the cache when warm
   * (no lock, no allocation), else after asking the sources (bounded by the configured timeout
   * and the context's deadline). The pick counts as an outstanding call until it is reported
   * through {@link #recordResult}.
   *
   * @throws ServiceUnavailableException naming the service when no source knows an instance and
   *     nothing usable is cached
   * @throws IllegalArgumentException when the name is null or blank
   */
  public ServiceInstance discover(String serviceName, ClientContext context) {
    if (serviceName == null || serviceName.isBlank()) {
      Checks.notBlank("serviceName", serviceName);
    }
    return engine.discover(serviceName, context == null ? ClientContext.none() : context);
  }

  /**
   * The eligible instances of {@code serviceName} ranked by score for {@code context}, best first:
   * instances in the avoid set are left out, and those with an open breaker too unless all are
   * open. Allocates; meant for retries and inspection, not for every call.
   *
   * @throws ServiceUnavailableException naming the service when nothing is known
   */
  public List<ServiceInstance> discoverAll(String serviceName, ClientContext context) {
    Checks.notBlank("serviceName", serviceName);
    return engine.candidates(serviceName, context == null ? ClientContext.none() : context);
  }

  /** Refreshes {@code serviceName} from the sources now; the stage completes once merged. */
  public CompletionStage<Void> refresh(String serviceName) {
    Checks.notBlank("serviceName", serviceName);
    return engine.refresh(serviceName);
  }

  /**
   * Registers {@code instance} in the registry with the configured default health check.
   *
   * @throws IllegalArgumentException when {@code instance} is null
   */
  public RegistrationResult register(ServiceInstance instance) {
    return register(instance, config.defaultHealthCheck());
  }

  /**
   * Registers {@code instance} with its own health check, invalidates the service's cache entry
   * and emits a {@code discovery.registered} event. {@code success} is false (and a {@code
   * discovery.registration_failure} event is emitted) when the registry could not be written.
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public RegistrationResult register(ServiceInstance instance, HealthCheck healthCheck) {
    Checks.notNull("instance", instance);
    Checks.notNull("healthCheck", healthCheck);
    Instant now = clock.instant();
    try {
      registry.register(new Registration(instance, healthCheck, now));
    } catch (RuntimeException e) {
      event("discovery.registration_failure", instance, "error", String.valueOf(e));
      return new RegistrationResult(false, instance.id(), now);
    }
    engine.reviveInstance(instance.serviceName(), instance.id());
    engine.invalidate(instance.serviceName());
    event("discovery.registered", instance, "address", instance.address());
    return new RegistrationResult(true, instance.id(), now);
  }

  /**
   * Removes the instance with {@code instanceId} from the registry and, at once, from the cache
   * (its health checks and breaker go with it).
   *
   * @return success with the time, or the seed's {@code instance_not_found}
   * @throws IllegalArgumentException when the id is null or blank
   */
  public DeregistrationResult deregister(String instanceId) {
    Checks.notBlank("instanceId", instanceId);
    Registration found = registry.find(instanceId);
    if (found == null) {
      return DeregistrationResult.notFound(instanceId);
    }
    Registration removed = registry.deregister(instanceId);
    if (removed == null) {
      return DeregistrationResult.notFound(instanceId);
    }
    engine.removeInstance(removed.serviceName(), instanceId);
    engine.invalidate(removed.serviceName());
    event("discovery.deregistered", removed.instance());
    return DeregistrationResult.removed(instanceId, clock.instant());
  }

  /**
   * Reports how a call to {@code instance} went (passive health): feeds its consecutive
   * success/failure counts, error rate, latency statistics, breaker and outlier detection, and
   * ends the outstanding call its pick started. Unknown instances are ignored.
   *
   * @param latencyNanos time from sending to the outcome
   */
  public void recordResult(ServiceInstance instance, CallOutcome outcome, long latencyNanos) {
    Checks.notNull("instance", instance);
    Checks.notNull("outcome", outcome);
    engine.recordResult(instance, outcome, latencyNanos);
  }

  /**
   * What is known about one instance, or null when it is not cached. The status is one state of
   * the instance even while other threads report on it: its score is computed from the health,
   * counters and outstanding calls it carries.
   */
  public InstanceStatus status(ServiceInstance instance) {
    Checks.notNull("instance", instance);
    return engine.status(instance.serviceName(), instance.id());
  }

  /**
   * Whether {@code serviceName} is in panic mode (too few healthy: all instances get traffic).
   *
   * @throws IllegalArgumentException when the name is null or blank
   */
  public boolean inPanic(String serviceName) {
    Checks.notBlank("serviceName", serviceName);
    return engine.panic(serviceName);
  }

  /**
   * This discovery as core's {@link InstanceSource}, for orchestra-mesh and applications that
   * pick instances themselves: {@code instances(name)} answers the eligible instances from the
   * warm cache without allocating (a null or blank name is an {@link IllegalArgumentException}),
   * {@code report(...)} is {@link #recordResult}.
   */
  public InstanceSource asInstanceSource() {
    return instanceSource;
  }

  /** The configuration. */
  public DiscoveryConfig config() {
    return config;
  }

  /** The registry that {@link #register} writes to. */
  public RegistrySource registry() {
    return registry;
  }

  /** Stops health checks and source watches; sources themselves are closed by their owners. */
  @Override
  public void close() {
    engine.close();
  }

  List<ServiceInstance> eligible(String serviceName) {
    if (serviceName == null || serviceName.isBlank()) {
      Checks.notBlank("serviceName", serviceName);
    }
    return engine.eligible(serviceName);
  }

  private void event(String type, ServiceInstance instance, String... more) {
    java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
    attrs.put("service", instance.serviceName());
    attrs.put("instance", instance.id());
    for (int i = 0; i + 1 < more.length; i += 2) {
      attrs.put(more[i], more[i + 1]);
    }
    telemetry.event(
        new io.orchestra.core.telemetry.TelemetryEvent(
            type, "orchestra-discovery", clock.millis(), attrs));
  }

  /**
   * Builds a {@link ServiceDiscovery}; not thread-safe. Every dependency has a default: the seed's
   * configuration, system ticker/clock/scheduler/randomness, no telemetry, an {@link
   * InMemoryRegistry}, no other source and no transport (so no active health checks).
   */
  public static final class Builder {
    private DiscoveryConfig config = DiscoveryConfig.defaults();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clocks.system();
    private Scheduler scheduler = Scheduler.systemDefault();
    private RandomSource random = RandomSource.system();
    private TelemetrySink telemetry = TelemetrySink.noop();
    private Transport transport;
    private RegistrySource registry = new InMemoryRegistry();
    private final List<DiscoverySource> sources = new ArrayList<>();

    private Builder() {}

    /** The configuration; default {@link DiscoveryConfig#defaults()}. */
    public Builder config(DiscoveryConfig config) {
      this.config = Checks.notNull("config", config);
      return this;
    }

    /** Monotonic time; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Checks.notNull("ticker", ticker);
      return this;
    }

    /** Wall time for registration results and events; default {@link Clocks#system()}. */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull("clock", clock);
      return this;
    }

    /**
     * Timers for health checks, ejections, timeouts and cache due times; default {@link
     * Scheduler#systemDefault()}. Its delays must elapse on the {@link #ticker(Ticker)}'s time
     * (as with the defaults, or one {@code VirtualTime} for both): a warm {@code discover()}
     * learns from a timer, not from the ticker, that its cache entry fell due.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Checks.notNull("scheduler", scheduler);
      return this;
    }

    /** Randomness for jitter and power-of-two choices; default {@link RandomSource#system()}. */
    public Builder random(RandomSource random) {
      this.random = Checks.notNull("random", random);
      return this;
    }

    /** Metrics and events; default {@link TelemetrySink#noop()}. */
    public Builder telemetry(TelemetrySink telemetry) {
      this.telemetry = Checks.notNull("telemetry", telemetry);
      return this;
    }

    /** The transport for active health checks; without one, only passive health applies. */
    public Builder transport(Transport transport) {
      this.transport = Checks.notNull("transport", transport);
      return this;
    }

    /** The registry; default a new {@link InMemoryRegistry}. */
    public Builder registry(RegistrySource registry) {
      this.registry = Checks.notNull("registry", registry);
      return this;
    }

    /** Adds a source (DNS, mesh, or another); used when its mechanism is configured. */
    public Builder source(DiscoverySource source) {
      Checks.notNull("source", source);
      Checks.argument(
          !(source instanceof RegistrySource),
          "source %s is a registry: set it with registry(...)",
          source.name());
      sources.add(source);
      return this;
    }

    /** The discovery. */
    public ServiceDiscovery build() {
      return new ServiceDiscovery(this);
    }
  }
}
