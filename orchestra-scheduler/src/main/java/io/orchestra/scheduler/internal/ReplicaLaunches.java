package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.Unschedulable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Several replicas of one request, placed one decision after another (each sees the previous
 * reservation), with one capacity request for those that did not fit: what {@code deploy} and an
 * autoscaler's scale-up share. Not instantiable.
 */
public final class ReplicaLaunches {
  private ReplicaLaunches() {}

  /**
   * What a launch did: the replicas it reserved (decided onto a node, and not already failed), and
   * the future of every replica's result, in order.
   */
  public record Launched(int reserved, CompletableFuture<List<SchedulingResult>> results) {}

  /**
   * Launches {@code replicas} replicas of {@code request} through {@code schedule}, whose stage is
   * already complete when the decision found no node (decisions are made before it returns), and
   * passes a {@code SCALE_UP} capacity request for the replicas that did not fit to {@code
   * capacity}.
   */
  public static Launched launch(
      DeploymentRequest request,
      int replicas,
      Function<DeploymentRequest, CompletableFuture<SchedulingResult>> schedule,
      Consumer<CapacityRequest> capacity) {
    List<CompletableFuture<SchedulingResult>> stages = new ArrayList<>(replicas);
    int reserved = 0;
    int unschedulable = 0;
    Unschedulable lastWhy = null;
    for (int i = 0; i < replicas; i++) {
      CompletableFuture<SchedulingResult> stage = schedule.apply(request);
      SchedulingResult done = stage.getNow(null); // null: reserved, the runtime is creating it
      if (done != null && done.unschedulable() != null) {
        unschedulable++;
        lastWhy = done.unschedulable();
      } else if (done == null || done.success()) {
        reserved++;
      }
      stages.add(stage);
    }
    if (unschedulable > 0) {
      capacity.accept(
          new CapacityRequest(
              CapacityRequest.Reason.SCALE_UP, request.workload(), unschedulable, request.resources(), request, null, lastWhy));
    }
    return new Launched(reserved, Futures.all(stages));
  }
}
