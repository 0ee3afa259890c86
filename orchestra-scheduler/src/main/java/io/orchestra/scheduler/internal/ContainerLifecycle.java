package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.time.Ticker;
import io.orchestra.scheduler.CapacityRequest;
import io.orchestra.scheduler.ContainerRuntime;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.SchedulingResult;
import io.orchestra.scheduler.WorkloadScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's life through the {@code ContainerRuntime} port, as {@code WorkloadScheduler}
 * runs it: launch (decide and reserve with the {@link Placer}, then create; PENDING becomes
 * RUNNING when the runtime answers, and the reservation is released when it fails or times out)
 * and graceful termination (TERMINATING while the runtime stops it, removed after, the previous
 * status restored when the runtime fails). The meters of both are recorded here. It is the
 * {@link Launcher} that failure handling and drains place and stop containers through.
 *
 * <p>Thread-safe. Every placement status changes through one {@link StateStore#update} or {@link
 * StateStore#remove} (atomic under the store's lock), so a completion racing a termination, a node
 * failure or a drain sees either state, never half of one. The one state of its own, {@link
 * #createdWhileTerminating}, is a concurrent set that is only added to, and only read, inside
 * those updates, under the same lock. Completions run on the thread that completes the runtime's
 * stage, or on the delay scheduler's thread for a timeout.
 */
public final class ContainerLifecycle implements Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadScheduler.class);

  private final StateStore store;
  private final Placer placer;
  private final ContainerRuntime runtime;
  private final RuntimeCalls calls;
  private final CapacityRequests capacity;
  private final SchedulerMetrics metrics;
  private final Ticker ticker;
  private final long runtimeTimeoutNanos;
  private final Duration terminationGrace;
  /**
   * Ids of containers whose creation finished while their placement was TERMINATING and whose
   * termination has not ended yet: if the runtime fails to stop one, its placement returns to
   * RUNNING (the container exists), not to the PENDING it had when the termination began. Added
   * to inside a store update only, removed when the termination ends; empty but for such races.
   */
  private final Set<String> createdWhileTerminating = ConcurrentHashMap.newKeySet();

  /**
   * Launches placed by {@code placer} into {@code store}, created and stopped through {@code
   * runtime} (within {@code runtimeTimeoutNanos}; termination within {@code terminationGrace} on
   * top), timed by {@code ticker}.
   */
  public ContainerLifecycle(
      StateStore store,
      Placer placer,
      ContainerRuntime runtime,
      RuntimeCalls calls,
      CapacityRequests capacity,
      SchedulerMetrics metrics,
      Ticker ticker,
      long runtimeTimeoutNanos,
      Duration terminationGrace) {
    this.store = store;
    this.placer = placer;
    this.runtime = runtime;
    this.calls = calls;
    this.capacity = capacity;
    this.metrics = metrics;
    this.ticker = ticker;
    this.runtimeTimeoutNanos = runtimeTimeoutNanos;
    this.terminationGrace = terminationGrace;
  }

  /** Decides, reserves and creates one container of {@code request}; see {@code WorkloadScheduler.schedule}. */
  @Override
  public Launch launch(DeploymentRequest request) {
    Checks.notNull("request", request);
    long start = ticker.read();
    Decision d = placer.place(request);
    long decided = ticker.read();
    metrics.decision(decided - start, d.attempts());
    if (!d.placed()) {
      metrics.unschedulable(decided - start, d.unschedulable());
      SchedulingResult r =
          SchedulingResult.unschedulable(d.unschedulable(), Duration.ofNanos(decided - start), d.attempts());
      return new Launch(d, CompletableFuture.completedFuture(r));
    }
    Placement p = d.placement();
    CompletableFuture<Void> created = calls.call(() -> runtime.create(p), runtimeTimeoutNanos, "create ", p.containerId());
    CompletableFuture<SchedulingResult> stage =
        created.handle(
            (v, error) -> {
              long elapsed = ticker.read() - start;
              if (error == null) {
                // A placement already TERMINATING (scaled down while it was created) stays so.
                Placement now =
                    store.update(
                        p.containerId(),
                        x -> x.status() == Placement.Status.PENDING ? x.withStatus(Placement.Status.RUNNING) : x);
                if (now != null) {
                  if (now.status() == Placement.Status.TERMINATING) {
                    createdDuringTermination(p.containerId());
                  }
                  metrics.scheduled(elapsed);
                  return SchedulingResult.placed(
                      p.containerId(), p.nodeId(), Duration.ofNanos(elapsed), p.resources(), d.score(), d.attempts());
                }
                // The placement was dropped while the container was created (its node failed).
                error = new IllegalStateException("placement " + p.containerId() + " was removed during creation");
              }
              store.remove(p.containerId());
              Throwable cause = CallOutcome.unwrap(error);
              boolean timeout = cause instanceof TimeoutException;
              if (timeout) {
                // The container may still appear later; ask for it to be stopped.
                calls.call(() -> runtime.terminate(p, Duration.ZERO), runtimeTimeoutNanos, "terminate ", p.containerId());
              }
              metrics.runtimeFailed(elapsed, timeout);
              return SchedulingResult.runtimeFailed(
                  timeout ? SchedulingResult.Failure.RUNTIME_TIMEOUT : SchedulingResult.Failure.RUNTIME_FAILED,
                  p.containerId(),
                  p.nodeId(),
                  Duration.ofNanos(elapsed),
                  d.attempts(),
                  String.valueOf(cause));
            });
    return new Launch(d, stage);
  }

  /** Stops a container gracefully; see {@code WorkloadScheduler.terminate}. */
  @Override
  public CompletableFuture<Boolean> terminate(String containerId) {
    Checks.notBlank("containerId", containerId);
    // Written inside the store's lock by the update below, read after it on this thread and,
    // through the stage chain, in the handler.
    Placement[] before = new Placement[1];
    Placement p =
        store.update(
            containerId,
            x -> {
              before[0] = x;
              return x.status() == Placement.Status.TERMINATING ? x : x.withStatus(Placement.Status.TERMINATING);
            });
    if (p == null || before[0].status() == Placement.Status.TERMINATING) {
      return CompletableFuture.completedFuture(false);
    }
    Duration grace = terminationGrace;
    return calls
        .call(() -> runtime.terminate(p, grace), grace.toNanos() + runtimeTimeoutNanos, "terminate ", containerId)
        .handle(
            (v, error) -> {
              if (error == null) {
                store.remove(containerId);
                createdWhileTerminating.remove(containerId); // gone, so it cannot be marked again
                return true;
              }
              LOG.warn("terminating {} failed: {}", containerId, error.toString());
              Placement restored =
                  store.update(
                      containerId,
                      x ->
                          x.withStatus(
                              createdWhileTerminating.remove(containerId)
                                  ? Placement.Status.RUNNING
                                  : before[0].status()));
              if (restored == null) {
                createdWhileTerminating.remove(containerId); // removed meanwhile (its node failed)
              }
              return false;
            });
  }

  /**
   * The creation of {@code containerId} finished while it was TERMINATING. Under the store's lock,
   * so that it is ordered with the restore of a failed termination: a termination that already
   * failed put PENDING back (RUNNING now), one still under way finds the mark when it fails.
   */
  private void createdDuringTermination(String containerId) {
    store.update(
        containerId,
        x -> {
          if (x.status() == Placement.Status.PENDING) {
            return x.withStatus(Placement.Status.RUNNING);
          }
          if (x.status() == Placement.Status.TERMINATING) {
            createdWhileTerminating.add(containerId);
          }
          return x;
        });
  }

  /** Passes {@code request} to the node provisioner; see {@link CapacityRequests}. */
  @Override
  public void requestCapacity(CapacityRequest request) {
    capacity.request(request);
  }
}
