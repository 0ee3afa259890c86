package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.DrainSummary;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.ResilienceConfig;
import io.orchestra.scheduler.SchedulingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Planned evacuation of a node within the disruption budget: placements move one at a time,
 * surge first ({@code maxSurge > 0}: place and create the replacement, then stop the old one),
 * evict first when no surge fits and {@code maxUnavailable > 0} (needed when anti-affinity
 * forbids old and new side by side), otherwise the placement stays. A placement whose old
 * container the runtime fails to stop stays too (after a surge its replacement is kept). A
 * placement removed by someone else while it is moved has left the node: moved after a surge,
 * else neither counted nor replaced (as one gone before its turn).
 */
public final class Drains {
  private Drains() {}

  private static final class State {
    int moved;
    int stayed;
    int lost;
    final List<SchedulingResult> results = new ArrayList<>();
  }

  /** Drains {@code nodeId}; see {@code WorkloadScheduler.drain}. */
  public static CompletableFuture<DrainSummary> drain(
      String nodeId, StateStore store, ResilienceConfig resilience, Launcher launcher, SchedulerMetrics metrics) {
    Checks.argument(
        store.modifyNode(nodeId, n -> n.withCordoned(true)) != null, "nodeId %s is not a known node", nodeId);
    State state = new State();
    // Chained one after the other; an already completed step runs at once, without recursion.
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Placement p : store.placementsOn(nodeId)) {
      if (p.status() != Placement.Status.TERMINATING) {
        chain = chain.thenCompose(v -> move(p, state, store, resilience, launcher));
      }
    }
    return chain.thenApply(
        v -> {
          DrainSummary summary = new DrainSummary(nodeId, state.moved, state.stayed, state.lost, state.results);
          metrics.event(
              "scheduler.drain",
              Map.of(
                  "node", nodeId,
                  "moved", Integer.toString(summary.moved()),
                  "stayed", Integer.toString(summary.stayed()),
                  "lost", Integer.toString(summary.lost())));
          return summary;
        });
  }

  private static CompletableFuture<Void> move(
      Placement old, State state, StateStore store, ResilienceConfig resilience, Launcher launcher) {
    if (store.placement(old.containerId()) == null) {
      return CompletableFuture.completedFuture(null); // gone meanwhile
    }
    if (resilience.maxSurge() > 0) {
      Launch s = launcher.launch(old.request());
      if (s.decision().placed()) {
        return s.stage()
            .thenCompose(
                result -> {
                  state.results.add(result);
                  if (result.success()) {
                    return launcher
                        .terminate(old.containerId())
                        .thenAccept(
                            stopped -> {
                              // The old container still runs when the runtime could not stop
                              // it: it stays (and the replacement with it, as one extra replica).
                              // Not stopped because someone else removed it meanwhile (its node's
                              // failure was handled, say): it has left the node all the same.
                              if (stopped || gone(store, old)) {
                                state.moved++;
                              } else {
                                state.stayed++;
                              }
                            });
                  }
                  return evictFirst(old, state, store, resilience, launcher);
                });
      }
    }
    return evictFirst(old, state, store, resilience, launcher);
  }

  /** Whether {@code old} is no longer placed (a summary counts what is on the node when it answers). */
  private static boolean gone(StateStore store, Placement old) {
    return store.placement(old.containerId()) == null;
  }

  private static CompletableFuture<Void> evictFirst(
      Placement old, State state, StateStore store, ResilienceConfig resilience, Launcher launcher) {
    if (resilience.maxUnavailable() == 0) {
      state.stayed++;
      launcher.requestCapacity(
          new CapacityRequest(
              CapacityRequest.Reason.DRAIN, old.workload(), 1, old.resources(), old.request(), null, null));
      return CompletableFuture.completedFuture(null);
    }
    return launcher
        .terminate(old.containerId())
        .thenCompose(
            stopped -> {
              if (!stopped) {
                // Removed by someone else meanwhile: not on the node, and not this drain's to
                // replace (as when it is gone before its turn).
                if (!gone(store, old)) {
                  state.stayed++;
                }
                return CompletableFuture.completedFuture(null);
              }
              Launch s = launcher.launch(old.request());
              if (s.decision().unschedulable() != null) {
                launcher.requestCapacity(
                    new CapacityRequest(
                        CapacityRequest.Reason.DRAIN,
                        old.workload(),
                        1,
                        old.resources(),
                        old.request(),
                        null,
                        s.decision().unschedulable()));
              }
              return s.stage()
                  .thenAccept(
                      result -> {
                        state.results.add(result);
                        if (result.success()) {
                          state.moved++;
                        } else {
                          state.lost++;
                        }
                      });
            });
  }
}
