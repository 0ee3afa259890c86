package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.scheduler.ClusterChange;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.SimulationResult;
import io.orchestra.scheduler.SimulationResult.SimulatedPlacement;
import io.orchestra.scheduler.Unschedulable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs what-if changes against a copy of the cluster state with the same pipeline. Nothing real is
 * touched: no runtime, no provisioner, no telemetry, no change to the original store, no draw from
 * the scheduler's randomness. Draining or failing a node replaces its placements as the real
 * operations do: all but those already terminating (which go away without a replacement).
 */
public final class Simulator {
  private Simulator() {}

  /** Applies {@code changes} in order to a copy of {@code placer}'s store. */
  public static SimulationResult run(Placer placer, List<ClusterChange> changes) {
    Placer sim = placer.onCopy();
    StateStore store = sim.store();
    List<SimulatedPlacement> placements = new ArrayList<>();
    List<Unschedulable> unschedulable = new ArrayList<>();
    for (ClusterChange change : changes) {
      if (change instanceof ClusterChange.AddNode) {
        store.putNode(((ClusterChange.AddNode) change).node());
      } else if (change instanceof ClusterChange.AddReplicas) {
        ClusterChange.AddReplicas add = (ClusterChange.AddReplicas) change;
        for (int i = 0; i < add.count(); i++) {
          place(sim, add.request(), null, placements, unschedulable);
        }
      } else if (change instanceof ClusterChange.DrainNode) {
        String node = ((ClusterChange.DrainNode) change).nodeId();
        require(store.modifyNode(node, n -> n.withCordoned(true)) != null, node);
        // Evict, then place: the evicted replica must not block its own replacement through
        // anti-affinity or spread (a real drain does the same when no surge fits).
        for (Placement p : store.placementsOn(node)) {
          store.remove(p.containerId());
          if (p.status() != Placement.Status.TERMINATING) {
            place(sim, p.request(), node, placements, unschedulable);
          }
        }
      } else {
        String node = ((ClusterChange.FailNode) change).nodeId();
        require(store.modifyNode(node, n -> n.withHealthy(false)) != null, node);
        List<Placement> lost = store.placementsOn(node);
        lost.forEach(p -> store.remove(p.containerId()));
        for (Placement p : lost) {
          if (p.status() != Placement.Status.TERMINATING) {
            place(sim, p.request(), node, placements, unschedulable);
          }
        }
      }
    }
    return new SimulationResult(placements, unschedulable, store.nodes());
  }

  private static void require(boolean known, String node) {
    Checks.argument(known, "nodeId %s is not a known node", node);
  }

  private static void place(
      Placer sim,
      DeploymentRequest request,
      String from,
      List<SimulatedPlacement> placements,
      List<Unschedulable> unschedulable) {
    Decision d = sim.place(request);
    if (d.placed()) {
      Placement p = d.placement();
      placements.add(new SimulatedPlacement(p.workload(), p.containerId(), p.nodeId(), from));
    } else {
      unschedulable.add(d.unschedulable());
    }
  }
}
