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
    for (Placement listed : store.placementsOn(nodeId)) {
      // Only what this call removed is its to replace: a concurrent report of the same failure
      // (or a drain) may have taken a placement since the list was read. The removed value is
      // the latest, so a placement that began terminating meanwhile is not replaced either.
      Placement p = store.remove(listed.containerId());
      if (p != null && p.status() != Placement.Status.TERMINATING) {
        affected.add(p); // terminating ones were going away anyway
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
    for (Placement p : affected) {
      Launch s = launcher.launch(p.request());
      if (s.decision().unschedulable() != null) {
        CapacityRequest prev = shortages.get(p.workload());
        shortages.put(
            p.workload(),
            new CapacityRequest(
                CapacityRequest.Reason.NODE_FAILURE,
                p.workload(),
                prev == null ? 1 : prev.replicas() + 1,
                p.resources(),
                p.request(),
                nodeId,
                s.decision().unschedulable()));
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
}
