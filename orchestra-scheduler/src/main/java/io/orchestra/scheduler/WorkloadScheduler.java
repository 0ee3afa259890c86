package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Clocks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.scheduler.internal.CapacityRequests;
import io.orchestra.scheduler.internal.ContainerLifecycle;
import io.orchestra.scheduler.internal.Drains;
import io.orchestra.scheduler.internal.NodeFailures;
import io.orchestra.scheduler.internal.Pipeline;
import io.orchestra.scheduler.internal.Placer;
import io.orchestra.scheduler.internal.ReplicaLaunches;
import io.orchestra.scheduler.internal.RuntimeCalls;
import io.orchestra.scheduler.internal.SchedulerMetrics;
import io.orchestra.scheduler.internal.Simulator;
import io.orchestra.scheduler.internal.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Places containers of workloads on the nodes of a {@link ClusterState}: the seed's {@code
 * scheduleContainer} as a filter/score pipeline with reservation, the container runtime port,
 * node-failure rescheduling, drains and what-if simulations. Autoscaling builds on it (see {@code
 * io.orchestra.scheduler.autoscaling.Autoscaler}).
 *
 * <p>Named {@code WorkloadScheduler} rather than {@code Scheduler} because {@code
 * io.orchestra.core.time.Scheduler} (run a task after a delay) is one of its collaborators.
 *
 * <pre>{@code
 * ClusterState cluster = new ClusterState();
 * cluster.putNode(NodeInfo.builder("n1").zone("a").allocatable(8, 32_768, 500, 10_000).build());
 * WorkloadScheduler scheduler = WorkloadScheduler.builder(cluster).runtime(myRuntime).build();
 * DeploymentRequest web = DeploymentRequest.builder("web").label("app", "web")
 *     .resources(0.5, 512).build();
 * SchedulingResult r = scheduler.schedule(web).toCompletableFuture().join();
 * if (!r.success()) log.warn(r.error());   // "0/1 nodes fit web: resources rejected 1 ..."
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may schedule at once; the reservation never
 * over-commits a node nor breaks anti-affinity or spread (see {@code docs/scheduler.md}).
 */
public final class WorkloadScheduler {
  // The API over the internal parts, which own the work: the Placer decides and reserves, the
  // ContainerLifecycle creates and stops containers through the runtime, CapacityRequests talks
  // to the provisioner, NodeFailures and Drains move placements, the Simulator runs what-ifs.
  //
  // Concurrency: every field is final and set here, so this class has no state of its own to
  // guard. The mutable state is the StateStore's, guarded by its one lock (placements commit
  // under it; the Placer reads without it and checks the store's version); the Placer's scratch
  // memory is per thread; SchedulerMetrics is thread-safe. Runtime completions run on the thread
  // that completes the runtime's stage, timeouts on the `timers` scheduler's thread.
  private final ClusterState cluster;
  private final StateStore store;
  private final SchedulerConfig config;
  private final Ticker ticker;
  private final Clock clock;
  private final TelemetrySink telemetry;
  private final Placer placer;
  private final SchedulerMetrics metrics;
  private final CapacityRequests capacity;
  private final ContainerLifecycle lifecycle;

  private WorkloadScheduler(Builder b) {
    this.cluster = b.cluster;
    this.store = b.cluster.store();
    this.config = b.config;
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.telemetry = b.telemetry;
    Pipeline pipeline = Pipeline.of(config.scheduling(), b.filters, b.scores, b.random);
    this.placer = new Placer(store, pipeline, config.scheduling().optimisticAttempts(), b.random);
    this.metrics = new SchedulerMetrics(telemetry, clock, store);
    this.capacity = new CapacityRequests(config.scaling().clusterAutoscaler(), b.provisioner, metrics);
    this.lifecycle =
        new ContainerLifecycle(
            store,
            placer,
            b.runtime,
            new RuntimeCalls(b.timers),
            capacity,
            metrics,
            ticker,
            config.scheduling().runtimeTimeout().toNanos(),
            config.resilience().terminationGracePeriod());
  }

  /** A builder for a scheduler over {@code cluster}. */
  public static Builder builder(ClusterState cluster) {
    return new Builder(cluster);
  }

  /** The cluster state this scheduler places into. */
  public ClusterState cluster() {
    return cluster;
  }

  /** The configuration. */
  public SchedulerConfig config() {
    return config;
  }

  /** The ticker (for components built on this scheduler, such as the autoscaler). */
  public Ticker ticker() {
    return ticker;
  }

  /** The wall clock. */
  public Clock clock() {
    return clock;
  }

  /** The telemetry sink. */
  public TelemetrySink telemetry() {
    return telemetry;
  }

  /** The filters in pipeline order (built-in ones by name, then user plugins). */
  public List<String> filters() {
    return placer.pipeline().filterNames();
  }

  /** The scores that run, with their weights (round robin: none). */
  public Map<String, Double> scoreWeights() {
    return placer.pipeline().scoreWeights();
  }

  // ------------------------------------------------------------------ scheduling

  /**
   * Places one container of {@code request}: filters and scores the nodes, reserves the best one,
   * then asks the runtime to create the container. The decision and reservation happen before
   * this method returns; the stage completes when the runtime answers. If the runtime fails or
   * times out, the reservation is released and the result says so.
   *
   * @throws IllegalArgumentException for a null request
   */
  public CompletionStage<SchedulingResult> schedule(DeploymentRequest request) {
    return lifecycle.launch(request).stage();
  }

  /**
   * Places {@code resilience.replicationFactor} replicas of {@code request}; see {@link
   * #deploy(DeploymentRequest, int)}.
   */
  public CompletionStage<List<SchedulingResult>> deploy(DeploymentRequest request) {
    return deploy(request, config.resilience().replicationFactor());
  }

  /**
   * Places {@code replicas} replicas of {@code request}: decisions one after the other (each sees
   * the previous reservation), container creations in parallel. Replicas that do not fit are
   * reported in the results, and the node provisioner is asked for capacity for them.
   */
  public CompletionStage<List<SchedulingResult>> deploy(DeploymentRequest request, int replicas) {
    Checks.notNull("request", request);
    Checks.positive("replicas", replicas);
    return ReplicaLaunches.launch(request, replicas, r -> lifecycle.launch(r).stage(), this::requestCapacity).results();
  }

  /**
   * Whether {@code request} would fit right now, without placing it. The answer and the
   * explanation describe one state of the cluster even while it changes (see {@link
   * Unschedulable}).
   *
   * @return empty when some node fits, otherwise the explanation
   */
  public Optional<Unschedulable> check(DeploymentRequest request) {
    return Optional.ofNullable(placer.check(Checks.notNull("request", request)));
  }

  /**
   * The nodes that pass every filter for {@code request} right now (ids, in no particular
   * order), without placing it. The list describes one state of the cluster, as {@link #check}'s
   * explanation does, however fast nodes are added, replaced or removed meanwhile.
   */
  public List<String> feasibleNodes(DeploymentRequest request) {
    return placer.feasibleNodes(Checks.notNull("request", request));
  }

  /**
   * Stops a container gracefully through the runtime ({@code resilience.terminationGracePeriod}),
   * then removes its placement. While it stops it is TERMINATING: no longer counted as a replica,
   * its resources still reserved. If the runtime fails, the placement returns to RUNNING.
   *
   * @return a stage with true when the container was stopped and removed, false for an unknown
   *     or already terminating container, or when the runtime failed
   */
  public CompletionStage<Boolean> terminate(String containerId) {
    return lifecycle.terminate(containerId);
  }

  // ------------------------------------------------------------------ failures and drains

  /**
   * The seed's {@code handleNodeFailure}: marks the node unhealthy first (so nothing lands on it),
   * drops its placements (their resources are gone with the node), then reschedules each one that
   * was pending or running with its original request, so every constraint (anti-affinity
   * included) holds for the replacements. Asks the provisioner for capacity for replacements that
   * do not fit. The runtime is not asked to stop containers on the failed node.
   *
   * <p>A placement that a {@link #drain} of the node is moving gets no second replacement: the
   * drain's stands for it once created, and one is placed here only when the drain made none
   * (its replacement did not fit or was not created), so the workload ends with its replicas.
   *
   * @return a stage with the summary, completed when every replacement's creation has finished
   *     (for a placement a drain was moving, once the drain's replacement has answered); {@code
   *     success == false} for an unknown node
   */
  public CompletionStage<NodeFailureSummary> handleNodeFailure(String nodeId) {
    return NodeFailures.handle(Checks.notBlank("nodeId", nodeId), store, config.resilience(), lifecycle, metrics);
  }

  /**
   * Cordons a node and moves its placements elsewhere, one at a time so that each workload has at
   * most one extra and at most one missing replica at any moment (within {@code maxSurge} and
   * {@code maxUnavailable}): first a replacement is placed and created (if {@code maxSurge > 0}),
   * then the old container is stopped; if no replacement fits and {@code maxUnavailable > 0}, the
   * old container is stopped first and the replacement placed after; otherwise it stays.
   *
   * <p>Safe against {@link #handleNodeFailure} of the same node at any moment: each placement
   * gets one replacement, the drain's or the failure handler's (which replaces it when the
   * drain's did not fit or was not created). A placement that another drain of the node is
   * already moving is left to that drain and not counted.
   *
   * @throws IllegalArgumentException for an unknown node
   */
  public CompletionStage<DrainSummary> drain(String nodeId) {
    return Drains.drain(Checks.notBlank("nodeId", nodeId), store, config.resilience(), lifecycle, metrics);
  }

  // ------------------------------------------------------------------ simulation

  /**
   * A what-if: applies {@code changes} in order to a copy of the cluster state and reports the
   * placements that would result. The real state, the runtime, the provisioner and telemetry are
   * not touched.
   *
   * @throws IllegalArgumentException for a change naming an unknown node
   */
  public SimulationResult simulate(List<ClusterChange> changes) {
    Checks.noNulls("changes", changes);
    return Simulator.run(placer, changes);
  }

  // ------------------------------------------------------------------ capacity

  /**
   * Passes {@code request} to the node provisioner when {@code scaling.clusterAutoscaler} is on;
   * provisioner exceptions are logged and swallowed.
   */
  public void requestCapacity(CapacityRequest request) {
    Checks.notNull("request", request);
    capacity.request(request);
  }

  /** The meters and events of this scheduler, for components built on it. */
  public void recordScale(boolean up, int replicas, Map<String, String> event) {
    metrics.scale(up, replicas);
    metrics.event("scheduler.scale", event);
  }

  /**
   * Builds a {@link WorkloadScheduler}; not thread-safe. Everything but the cluster has a
   * default: seed configuration, {@link ContainerRuntime#noop()}, {@link NodeProvisioner#none()},
   * system ticker, clock, delay scheduler and randomness, no-op telemetry.
   */
  public static final class Builder {
    private final ClusterState cluster;
    private SchedulerConfig config = SchedulerConfig.defaults();
    private ContainerRuntime runtime = ContainerRuntime.noop();
    private NodeProvisioner provisioner = NodeProvisioner.none();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clocks.system();
    private Scheduler timers = Scheduler.systemDefault();
    private RandomSource random = RandomSource.system();
    private TelemetrySink telemetry = TelemetrySink.noop();
    private final List<FilterPlugin> filters = new ArrayList<>();
    private final Map<ScorePlugin, Double> scores = new LinkedHashMap<>();

    private Builder(ClusterState cluster) {
      this.cluster = Checks.notNull("cluster", cluster);
    }

    /** The configuration. */
    public Builder config(SchedulerConfig value) {
      this.config = Checks.notNull("config", value);
      return this;
    }

    /** The container runtime port. */
    public Builder runtime(ContainerRuntime value) {
      this.runtime = Checks.notNull("runtime", value);
      return this;
    }

    /** The cluster-autoscaler port. */
    public Builder provisioner(NodeProvisioner value) {
      this.provisioner = Checks.notNull("provisioner", value);
      return this;
    }

    /** Monotonic time for durations and windows. */
    public Builder ticker(Ticker value) {
      this.ticker = Checks.notNull("ticker", value);
      return this;
    }

    /** Wall time for event timestamps. */
    public Builder clock(Clock value) {
      this.clock = Checks.notNull("clock", value);
      return this;
    }

    /** Delays for runtime timeouts. */
    public Builder timers(Scheduler value) {
      this.timers = Checks.notNull("timers", value);
      return this;
    }

    /** Randomness for tie-breaking and container ids. */
    public Builder random(RandomSource value) {
      this.random = Checks.notNull("random", value);
      return this;
    }

    /** Where metrics and events go. */
    public Builder telemetry(TelemetrySink value) {
      this.telemetry = Checks.notNull("telemetry", value);
      return this;
    }

    /** Adds a user filter, run after the built-in ones. */
    public Builder filter(FilterPlugin plugin) {
      Checks.notNull("plugin", plugin);
      Checks.notBlank("plugin.name", plugin.name());
      filters.add(plugin);
      return this;
    }

    /** Adds a user score with its default weight ({@code scheduling.scoreWeights} overrides it). */
    public Builder score(ScorePlugin plugin, double weight) {
      Checks.notNull("plugin", plugin);
      Checks.notBlank("plugin.name", plugin.name());
      Checks.nonNegative("weight", weight);
      scores.put(plugin, weight);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException for a score weight naming no score, or duplicate plugin
     *     names
     */
    public WorkloadScheduler build() {
      return new WorkloadScheduler(this);
    }
  }
}
