package io.orchestra.scheduler.autoscaling;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.time.Ticker;
import io.orchestra.scheduler.ClusterState;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.ScaleDownOrder;
import io.orchestra.scheduler.ScalingConfig;
import io.orchestra.scheduler.ScalingPolicy;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import io.orchestra.scheduler.internal.ReplicaLaunches;
import io.orchestra.scheduler.internal.ReplicaMath;
import io.orchestra.scheduler.internal.ScalingHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Horizontal autoscaling of workloads placed by a {@link WorkloadScheduler}: the seed's {@code
 * handleAutoScaling} with the rules of Kubernetes' horizontal pod autoscaler.
 *
 * <ol>
 *   <li>Per metric, desired = {@code ceil(current * value / target)}, or the current count when
 *       {@code |value / target - 1| <= scaling.tolerance}; requests per second are a total, so
 *       their per-replica value is {@code total / current}.
 *   <li>The highest of the metrics' answers, bounded by the policy's min and max replicas (with no
 *       replica at all, min replicas).
 *   <li>Stabilization: not above the lowest recommendation of the last {@code
 *       scaleUpStabilization}, not below the highest of the last {@code scaleDownStabilization}
 *       (300 s by default), so a short dip does not remove replicas.
 *   <li>Rate policies: at most so many pods or percent per period.
 * </ol>
 *
 * Scaling up places replicas through the scheduler (which asks the node provisioner for capacity
 * when some do not fit); scaling down stops pending replicas first, then unhealthy ones (older
 * than {@code resilience.healthCheckGracePeriod}), then the oldest or newest by {@code
 * scaling.scaleDownOrder}, gracefully through the runtime port. Time comes from the scheduler's
 * ticker.
 *
 * <p>Thread-safe; calls for one workload are serialised. Other threads may add and remove the
 * workload's replicas meanwhile (the application, node failures, drains): a decision's current
 * count and a scale-down's victims come from one read of the cluster, and the change a step
 * records (for the rate policies, and in the {@code scheduler.scale} event and counter) is what
 * it did itself: the replicas it reserved, or the terminations it started.
 */
public final class Autoscaler {
  private final WorkloadScheduler scheduler;
  private final ClusterState cluster;
  private final ScalingConfig config;
  private final Ticker ticker;
  private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();

  private static final class Deployment {
    final DeploymentRequest template;
    final AutoscalingPolicy policy;
    final ScalingHistory history;

    Deployment(DeploymentRequest template, AutoscalingPolicy policy, ScalingHistory history) {
      this.template = template;
      this.policy = policy;
      this.history = history;
    }
  }

  private Autoscaler(WorkloadScheduler scheduler) {
    this.scheduler = scheduler;
    this.cluster = scheduler.cluster();
    this.config = scheduler.config().scaling();
    this.ticker = scheduler.ticker();
  }

  /** An autoscaler acting through {@code scheduler}, with its configuration and ticker. */
  public static Autoscaler of(WorkloadScheduler scheduler) {
    return new Autoscaler(Checks.notNull("scheduler", scheduler));
  }

  /**
   * Puts {@code template.workload()} under autoscaling with {@code policy} (replacing an earlier
   * registration of the same workload, keeping its history).
   *
   * @throws IllegalArgumentException when a target names a metric that is neither built in nor in
   *     {@code scaling.customMetrics}
   */
  public void register(DeploymentRequest template, AutoscalingPolicy policy) {
    Checks.notNull("template", template);
    Checks.notNull("policy", policy);
    for (String metric : policy.targets().keySet()) {
      Checks.argument(
          metric.equals(ScalingMetrics.CPU)
              || metric.equals(ScalingMetrics.MEMORY)
              || metric.equals(ScalingMetrics.REQUESTS_PER_SECOND)
              || config.customMetrics().contains(metric),
          "autoscaling.targets names an unknown metric \"%s\"; known: cpu, memory, requests_per_second, %s",
          metric,
          config.customMetrics());
    }
    deployments.compute(
        template.workload(),
        (k, old) -> new Deployment(template, policy, old == null ? new ScalingHistory() : old.history));
  }

  /** Stops autoscaling a workload (its replicas stay); returns whether it was registered. */
  public boolean unregister(String workload) {
    return deployments.remove(workload) != null;
  }

  /** The registered workloads. */
  public Set<String> workloads() {
    return new TreeSet<>(deployments.keySet());
  }

  /** Pending and running replicas of {@code workload} (terminating ones do not count). */
  public int replicas(String workload) {
    return live(workload).size();
  }

  /** The pending and running replicas of {@code workload}, oldest first, from one state of the cluster. */
  private List<Placement> live(String workload) {
    List<Placement> live = new ArrayList<>();
    for (Placement p : cluster.placementsOf(workload)) {
      if (p.status() != Placement.Status.TERMINATING) {
        live.add(p);
      }
    }
    return live;
  }

  /**
   * Decides what {@code metrics} call for, recording the recommendation for stabilization, without
   * acting on it.
   *
   * @throws IllegalArgumentException for an unregistered workload
   */
  public ScalingDecision evaluate(String workload, ScalingMetrics metrics) {
    Checks.notNull("metrics", metrics);
    Deployment d = deployments.get(workload);
    Checks.argument(d != null, "workload %s is not registered for autoscaling", workload);
    synchronized (d) {
      return decide(workload, d, metrics, ticker.read(), replicas(workload));
    }
  }

  /**
   * The seed's {@code handleAutoScaling}: evaluates {@code metrics} and scales accordingly.
   *
   * @return a stage with the result once every creation or termination has finished; {@code
   *     success == false} with error {@code deployment_not_found} for an unregistered workload
   */
  public CompletionStage<ScalingResult> reconcile(String workload, ScalingMetrics metrics) {
    Checks.notNull("metrics", metrics);
    long start = ticker.read();
    Deployment d = deployments.get(workload);
    if (d == null) {
      return CompletableFuture.completedFuture(
          new ScalingResult(false, null, 0, 0, 0, Duration.ZERO, List.of(), 0, 0, "deployment_not_found: " + workload));
    }
    if (!config.horizontalPodAutoscaler()) {
      int n = replicas(workload);
      return CompletableFuture.completedFuture(
          new ScalingResult(false, null, n, n, n, Duration.ZERO, List.of(), 0, 0, "horizontal autoscaling is disabled"));
    }
    ScalingDecision decision;
    CompletableFuture<List<SchedulingResult>> created = CompletableFuture.completedFuture(List.of());
    List<CompletableFuture<Boolean>> stops = new ArrayList<>();
    synchronized (d) {
      long now = ticker.read();
      // The count the decision starts from and the replicas a scale-down stops are read from one
      // state of the cluster: counted in one read and chosen from another, replicas that others
      // removed in between would be stopped on top of them (below the desired count).
      List<Placement> live = live(workload);
      decision = decide(workload, d, metrics, now, live.size());
      int current = decision.currentReplicas();
      if (decision.action() == ScalingDecision.Action.SCALE_UP) {
        // What this call reserved itself: "replicas now minus replicas at the decision" would mix
        // two states of the cluster and count replicas others added or removed meanwhile (a
        // scale-up could even be recorded as a scale-down).
        ReplicaLaunches.Launched up =
            ReplicaLaunches.launch(
                d.template,
                decision.desiredReplicas() - current,
                r -> scheduler.schedule(r).toCompletableFuture(),
                scheduler::requestCapacity);
        created = up.results();
        d.history.recordChange(now, up.reserved());
        scheduler.recordScale(true, up.reserved(), event(decision, up.reserved()));
      } else if (decision.action() == ScalingDecision.Action.SCALE_DOWN) {
        int removed = 0;
        for (Placement p : victims(live, current - decision.desiredReplicas())) {
          CompletableFuture<Boolean> stop = scheduler.terminate(p.containerId()).toCompletableFuture();
          // Already false: gone or terminating meanwhile (someone else removed it), so this call
          // did not remove it and does not count it; otherwise it is TERMINATING now.
          if (!Boolean.FALSE.equals(stop.getNow(null))) {
            removed++;
          }
          stops.add(stop);
        }
        d.history.recordChange(now, -removed);
        scheduler.recordScale(false, removed, event(decision, -removed));
      }
    }
    CompletableFuture<List<SchedulingResult>> createdStage = created;
    return CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]))
        .thenCombine(createdStage, (v, results) -> results)
        .thenApply(
            results -> {
              int terminated = 0;
              int failed = 0;
              for (CompletableFuture<Boolean> s : stops) {
                if (s.join()) {
                  terminated++;
                } else {
                  failed++;
                }
              }
              for (SchedulingResult r : results) {
                failed += r.success() ? 0 : 1;
              }
              return new ScalingResult(
                  true,
                  decision,
                  decision.currentReplicas(),
                  replicas(workload),
                  decision.desiredReplicas(),
                  Duration.ofNanos(ticker.read() - start),
                  results,
                  terminated,
                  failed,
                  null);
            });
  }


  private Map<String, String> event(ScalingDecision d, int change) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("workload", d.workload());
    e.put("from", Integer.toString(d.currentReplicas()));
    e.put("to", Integer.toString(d.desiredReplicas()));
    e.put("change", Integer.toString(change));
    e.put("reason", d.reason());
    return e;
  }

  private ScalingDecision decide(String workload, Deployment d, ScalingMetrics metrics, long now, int current) {
    AutoscalingPolicy policy = d.policy;
    Map<String, Integer> perMetric = new LinkedHashMap<>();
    String leading = null;
    int raw = current;
    if (current > 0) {
      int best = -1;
      for (Map.Entry<String, Double> t : policy.targets().entrySet()) {
        Double value = metrics.values().get(t.getKey());
        if (value == null) {
          continue; // a missing metric does not vote
        }
        double perReplica = t.getKey().equals(ScalingMetrics.REQUESTS_PER_SECOND) ? value / current : value;
        int r = ReplicaMath.replicasFor(current, perReplica, t.getValue(), config.tolerance());
        perMetric.put(t.getKey(), r);
        if (r > best) {
          best = r;
          leading = t.getKey();
        }
      }
      raw = best < 0 ? current : best;
    } else {
      raw = policy.minReplicas();
    }
    int recommendation = Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), raw));
    int stabilized =
        d.history.stabilize(
            recommendation,
            current,
            now,
            config.scaleUpStabilization().toNanos(),
            config.scaleDownStabilization().toNanos());
    d.history.forgetChangesOlderThan(now, longestPeriod());
    int desired = stabilized;
    boolean limited = false;
    if (desired > current) {
      int limit =
          ReplicaMath.scaleUpLimit(
              config.scaleUpPolicies(),
              config.scaleUpSelect(),
              current,
              d.history.changedWithin(config.scaleUpPolicies(), now, true));
      limited = limit < desired;
      desired = Math.min(desired, limit);
    } else if (desired < current) {
      int limit =
          ReplicaMath.scaleDownLimit(
              config.scaleDownPolicies(),
              config.scaleDownSelect(),
              current,
              d.history.changedWithin(config.scaleDownPolicies(), now, false));
      limited = limit > desired;
      desired = Math.max(desired, limit);
    }
    ScalingDecision.Action action =
        desired > current
            ? ScalingDecision.Action.SCALE_UP
            : desired < current ? ScalingDecision.Action.SCALE_DOWN : ScalingDecision.Action.NO_CHANGE;
    String reason = reason(action, current, raw, recommendation, stabilized, limited, perMetric, leading);
    return new ScalingDecision(workload, action, current, desired, recommendation, perMetric, reason);
  }

  private static String reason(
      ScalingDecision.Action action,
      int current,
      int raw,
      int recommendation,
      int stabilized,
      boolean limited,
      Map<String, Integer> perMetric,
      String leading) {
    String direction = action == ScalingDecision.Action.SCALE_UP ? "up" : "down";
    if (action != ScalingDecision.Action.NO_CHANGE) {
      String why =
          raw != recommendation
              ? (recommendation > raw ? "minReplicas" : "maxReplicas")
              : current == 0 ? "minReplicas" : String.valueOf(leading);
      return "scale " + direction + " for " + why + (limited ? " (limited by scale-" + direction + " policy)" : "");
    }
    if (recommendation != current && stabilized == current) {
      return recommendation < current ? "held by scale-down stabilization" : "held by scale-up stabilization";
    }
    if (stabilized != current) {
      return "limited by scale-" + (stabilized > current ? "up" : "down") + " policy";
    }
    if (perMetric.isEmpty()) {
      return "no metrics";
    }
    return "within tolerance";
  }

  private long longestPeriod() {
    long longest = 1;
    for (ScalingPolicy p : config.scaleUpPolicies()) {
      longest = Math.max(longest, p.period().toNanos());
    }
    for (ScalingPolicy p : config.scaleDownPolicies()) {
      longest = Math.max(longest, p.period().toNanos());
    }
    return longest;
  }

  /** Pending first, then unhealthy past the grace period, then by age as configured. */
  private List<Placement> victims(List<Placement> live, int count) {
    Instant now = scheduler.clock().instant();
    Duration grace = scheduler.config().resilience().healthCheckGracePeriod();
    List<Placement> candidates = new ArrayList<>(live);
    Comparator<Placement> byAge = Comparator.comparingLong(Placement::sequence);
    if (config.scaleDownOrder() == ScaleDownOrder.NEWEST_FIRST) {
      byAge = byAge.reversed();
    }
    candidates.sort(
        Comparator.<Placement>comparingInt(p -> rank(p, now, grace)).thenComparing(byAge));
    return candidates.subList(0, Math.min(count, candidates.size()));
  }

  private static int rank(Placement p, Instant now, Duration grace) {
    if (p.status() == Placement.Status.PENDING) {
      return 0;
    }
    boolean pastGrace = !p.createdAt().plus(grace).isAfter(now);
    return !p.healthy() && pastGrace ? 1 : 2;
  }
}
