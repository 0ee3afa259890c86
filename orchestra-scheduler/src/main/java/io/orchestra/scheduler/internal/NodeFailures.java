package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.NodeFailureSummary;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.ResilienceConfig;
import io.orchestra.scheduler.SchedulingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The seed's {@code handleNodeFailure}, made sound: the node is marked unhealthy before anything
 * else (so no replacement lands on it), its placements are dropped before any is rescheduled (so
 * the dead replicas' anti-affinity does not block their own replacements), and every pending or
 * running placement is rescheduled with its original request.
 *
 * <p>A placement that a drain of the node is replacing (its claim in the store's {@link
 * Replacements}, taken with the placement in one step) is not replaced at once: the drain's
 * replacement stands for it when it is created, and only when the drain ends without one is a
 * replacement placed here. The summary then waits for the drain's answer.
 */
public final class NodeFailures {
  private NodeFailures() {}

  /** Handles the failure of {@code nodeId}; see {@code WorkloadScheduler.handleNodeFailure}. */
  public static CompletableFuture<NodeFailureSummary> handle(
      String nodeId, StateStore store, ResilienceConfig resilience, Launcher launcher, SchedulerMetrics metrics) {
    if (store.modifyNode(nodeId, n -> n.withHealthy(false)) == null) {
      return CompletableFuture.completedFuture(
          new NodeFailureSummary(false, nodeId, 0, 0, 0, List.of(), List.of()));
    }
    List<Placement> affected = new ArrayList<>();
    // Per affected placement, the replacement a drain of this node is making (or made), or null.
    List<Replacements.Replacement> claims = new ArrayList<>();
    for (Placement listed : store.placementsOn(nodeId)) {
      // Only what this call removed is its to replace: a concurrent report of the same failure
      // (or a drain) may have taken a placement since the list was read. The removed value is
      // the latest, so a placement that began terminating meanwhile is not replaced either
      // (unless a drain stops it in order to replace it: see owed).
      Replacements.Lost lost = store.removeLost(listed.containerId());
      if (lost != null && owed(lost)) {
        affected.add(lost.placement());
        claims.add(lost.claim());
      }
    }
    Map<String, Integer> lost = new LinkedHashMap<>();
    affected.forEach(p -> lost.merge(p.workload(), 1, Integer::sum));
    List<String> overBudget = new ArrayList<>();
    lost.forEach(
        (w, n) -> {
          if (n > resilience.maxUnavailable()) {
            overBudget.add(w);
          }
        });
    List<CompletableFuture<SchedulingResult>> stages = new ArrayList<>();
    Map<String, CapacityRequest> shortages = new LinkedHashMap<>();
    for (int i = 0; i < affected.size(); i++) {
      Placement p = affected.get(i);
      Replacements.Replacement claim = claims.get(i);
      if (claim != null) {
        stages.add(claim.outcome.thenCompose(r -> adopt(r, p, nodeId, store, launcher)));
        continue;
      }
      Launch s = launcher.launch(p.request());
      if (s.decision().unschedulable() != null) {
        CapacityRequest prev = shortages.get(p.workload());
        shortages.put(p.workload(), shortage(p, nodeId, prev == null ? 1 : prev.replicas() + 1, s));
      }
      stages.add(s.stage());
    }
    shortages.values().forEach(launcher::requestCapacity);
    return Futures.all(stages)
        .thenApply(
            results -> {
              List<NodeFailureSummary.Reschedule> details = new ArrayList<>();
              int ok = 0;
              for (int i = 0; i < results.size(); i++) {
                SchedulingResult r = results.get(i);
                ok += r.success() ? 1 : 0;
                metrics.rescheduled(r.success());
                Placement old = affected.get(i);
                details.add(new NodeFailureSummary.Reschedule(old.containerId(), old.workload(), r));
              }
              NodeFailureSummary summary =
                  new NodeFailureSummary(true, nodeId, affected.size(), ok, results.size() - ok, details, overBudget);
              metrics.event(
                  "scheduler.node_failure",
                  Map.of(
                      "node", nodeId,
                      "affected", Integer.toString(summary.affectedContainers()),
                      "rescheduled", Integer.toString(ok),
                      "failed", Integer.toString(summary.failedReschedules())));
              return summary;
            });
  }

  /**
   * Whether the removed placement is owed a replacement: when it was pending or running, or a
   * drain was stopping it to replace it after (evict first). Other terminating ones were going
   * away anyway: scaled down, or stopped by a drain whose replacement already runs.
   */
  private static boolean owed(Replacements.Lost lost) {
    return lost.placement().status() != Placement.Status.TERMINATING
        || (lost.claim() != null && lost.claim().evicting);
  }

  /**
   * The replacement of {@code p}, a drain's claim having answered {@code drained}: that one when
   * it was created and still runs, else one placed now (the drain's surge did not fit or was not
   * created, so this handler still owes the workload its replica).
   */
  private static CompletableFuture<SchedulingResult> adopt(
      SchedulingResult drained, Placement p, String nodeId, StateStore store, Launcher launcher) {
    if (store.replacements.running(drained)) {
      return CompletableFuture.completedFuture(drained);
    }
    Launch s = launcher.launch(p.request());
    if (s.decision().unschedulable() != null) {
      launcher.requestCapacity(shortage(p, nodeId, 1, s));
    }
    return s.stage();
  }

  private static CapacityRequest shortage(Placement p, String nodeId, int replicas, Launch s) {
    return new CapacityRequest(
        CapacityRequest.Reason.NODE_FAILURE,
        p.workload(),
        replicas,
        p.resources(),
        p.request(),
        nodeId,
        s.decision().unschedulable());
  }
}
