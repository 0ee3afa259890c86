package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.Unschedulable;

/**
 * The outcome of one placement decision: a committed (PENDING) placement, or why nothing fits.
 *
 * @param placement the reservation, or null
 * @param unschedulable the explanation, or null
 * @param score the chosen node's normalised score, NaN when not scored
 * @param attempts decisions made (more than one after conflicts with concurrent schedulers)
 * @param feasibleNodes how many nodes passed every filter in the final attempt (of those it
 *     examined: a search that found enough stops early, see {@code Pipeline})
 */
public record Decision(
    Placement placement, Unschedulable unschedulable, double score, int attempts, int feasibleNodes) {

  /** Whether a placement was made. */
  public boolean placed() {
    return placement != null;
  }
}
