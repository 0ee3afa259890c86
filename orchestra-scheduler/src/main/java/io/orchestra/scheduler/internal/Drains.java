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
 *
 * <p>Each placement is moved under a claim in the store's {@link Replacements}, taken before
 * anything is placed: the failure handler of the same node, removing the placement meanwhile,
 * then waits for this drain's replacement instead of making a second one, and makes its own when
 * this drain ends the claim without one (the surge did not fit or was not created, and the old
 * container was not evicted and replaced either). A placement another drain has claimed is left
 * to that drain.
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

  /**
   * Moves {@code old} under a claim on its replacement, so that a failure of the node meanwhile
   * does not replace it a second time, and does replace it when this drain cannot.
   */
  private static CompletableFuture<Void> move(
      Placement old, State state, StateStore store, ResilienceConfig resilience, Launcher launcher) {
    Replacements replacements = store.replacements;
    Replacements.Replacement claim = replacements.claim(old.containerId());
    if (claim == null) {
      // Gone meanwhile (its node's failure handled replaces it), terminating (going away anyway)
      // or moved by another drain of the node: not this drain's to replace or count.
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> moved;
    try {
      moved =
          claim.made()
              ? stopReplaced(old, state, store, launcher) // an earlier drain's replacement runs
              : surge(old, claim, state, store, resilience, launcher);
    } catch (RuntimeException e) {
      moved = CompletableFuture.failedFuture(e);
    }
    // A claim left open would keep a failure handler of this node waiting for ever: one that a
    // step ended without deciding (an exception) is ended without a replacement.
    return moved.whenComplete(
        (v, error) -> {
          if (!claim.outcome.isDone()) {
            replacements.abandoned(claim, null);
          }
        });
  }

  private static CompletableFuture<Void> surge(
      Placement old,
      Replacements.Replacement claim,
      State state,
      StateStore store,
      ResilienceConfig resilience,
      Launcher launcher) {
    if (resilience.maxSurge() > 0) {
      Launch s = launcher.launch(old.request());
      if (s.decision().placed()) {
        return s.stage()
            .thenCompose(
                result -> {
                  state.results.add(result);
                  if (result.success()) {
                    // Recorded before the old one is stopped: from here on, the node's failure
                    // finds the old placement replaced.
                    store.replacements.replaced(claim, result);
                    return stopReplaced(old, state, store, launcher);
                  }
                  return evictFirst(old, claim, state, store, resilience, launcher);
                });
      }
    }
    return evictFirst(old, claim, state, store, resilience, launcher);
  }

  /** Stops {@code old}, whose replacement runs. */
  private static CompletableFuture<Void> stopReplaced(
      Placement old, State state, StateStore store, Launcher launcher) {
    return launcher
        .terminate(old.containerId())
        .thenAccept(
            stopped -> {
              // The old container still runs when the runtime could not stop it: it stays (and
              // the replacement with it, as one extra replica; the claim stays too, so that the
              // node's failure does not replace it again). Not stopped because someone else
              // removed it meanwhile (its node's failure was handled, say): it has left the node.
              if (stopped || gone(store, old)) {
                state.moved++;
              } else {
                state.stayed++;
              }
            });
  }

  /** Whether {@code old} is no longer placed (a summary counts what is on the node when it answers). */
  private static boolean gone(StateStore store, Placement old) {
    return store.placement(old.containerId()) == null;
  }

  private static CompletableFuture<Void> evictFirst(
      Placement old,
      Replacements.Replacement claim,
      State state,
      StateStore store,
      ResilienceConfig resilience,
      Launcher launcher) {
    Replacements replacements = store.replacements;
    if (resilience.maxUnavailable() == 0) {
      // Removed meanwhile (its node failed): it has left the node, and the failure handler that
      // took the claim replaces it once it hears that this drain made no replacement.
      if (!gone(store, old)) {
        state.stayed++;
        launcher.requestCapacity(
            new CapacityRequest(
                CapacityRequest.Reason.DRAIN, old.workload(), 1, old.resources(), old.request(), null, null));
      }
      replacements.abandoned(claim, null);
      return CompletableFuture.completedFuture(null);
    }
    // Before the old one turns TERMINATING: a failure of the node must still replace it.
    claim.evicting = true;
    return launcher
        .terminate(old.containerId())
        .thenCompose(
            stopped -> {
              if (!stopped) {
                // Removed by someone else meanwhile: not on the node, and not this drain's to
                // replace (a failure handler that removed it replaces it on hearing this).
                if (!gone(store, old)) {
                  state.stayed++;
                }
                replacements.abandoned(claim, null);
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
                          replacements.replaced(claim, result);
                        } else {
                          state.lost++;
                          replacements.abandoned(claim, result);
                        }
                      });
            });
  }
}
