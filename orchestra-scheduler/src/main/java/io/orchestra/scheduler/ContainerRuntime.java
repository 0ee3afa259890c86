package io.orchestra.scheduler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The port through which the scheduler starts and stops containers; the application implements it
 * over its runtime (Docker, containerd, a cloud API, processes).
 *
 * <p>The scheduler reserves the node's resources before {@link #create}, and releases them when
 * the returned stage fails, or does not complete within {@code scheduling.runtimeTimeout} (it
 * then also asks for {@link #terminate} in case the container appears later). Implementations
 * must be thread-safe; they should not block the calling thread (return a stage that completes
 * later instead).
 */
public interface ContainerRuntime {

  /**
   * Creates and starts the container of {@code placement} on {@code placement.nodeId()}, using
   * {@code placement.containerId()} as its identity.
   *
   * @return a stage that completes normally once the container runs, exceptionally if it cannot
   */
  CompletionStage<Void> create(Placement placement);

  /**
   * Stops the container: politely first, forcibly once {@code gracePeriod} has passed.
   *
   * @return a stage that completes when the container is gone
   */
  CompletionStage<Void> terminate(Placement placement, Duration gracePeriod);

  /**
   * A runtime that does nothing and succeeds at once: for planning, simulations, tests and
   * benchmarks.
   */
  static ContainerRuntime noop() {
    return NoopRuntime.INSTANCE;
  }

  /** The no-op runtime. */
  enum NoopRuntime implements ContainerRuntime {
    /** The instance. */
    INSTANCE;

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> create(Placement placement) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> terminate(Placement placement, Duration gracePeriod) {
      return DONE;
    }
  }
}
