package io.orchestra.scheduler;

import java.util.List;

/**
 * The outcome of {@link WorkloadScheduler#drain}: the node is cordoned and every placement that
 * could move has moved.
 *
 * <p>Immutable.
 *
 * @param nodeId the drained node
 * @param moved replacements created elsewhere (the old container then stopped)
 * @param stayed placements left on the node: no replacement fitted and {@code
 *     resilience.maxUnavailable} forbade stopping them anyway, or the runtime failed to stop the
 *     old container (a replacement created first is kept, so the workload runs one extra
 *     replica until the old container is stopped); not a placement that someone else removed
 *     meanwhile (after a surge it counts as moved), nor one that another drain of the node is
 *     moving
 * @param lost placements stopped without a replacement (allowed by {@code maxUnavailable}, but
 *     nothing fitted afterwards either)
 * @param results every replacement's scheduling result
 */
public record DrainSummary(
    String nodeId, int moved, int stayed, int lost, List<SchedulingResult> results) {

  /** Copies the list. */
  public DrainSummary {
    results = List.copyOf(results);
  }

  /** Whether the node is now empty. */
  public boolean complete() {
    return stayed == 0;
  }
}
