package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.SchedulingResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The replacements drains are making, by the container id of the placement each one replaces:
 * the record that lets a drain and the handler of the same node's failure agree that a placement
 * gets exactly one replacement, whichever of them reaches it first.
 *
 * <p>Why a record, and why here: a drain replaces a placement while it still exists (surge first),
 * the failure handler after removing it, and neither can see the other's replacement in the
 * placements alone (a surge is just another replica of the workload). So a drain {@linkplain
 * #claim claims} the placement before it places anything, and the failure handler removes a
 * placement and takes its claim in one step under the store's lock ({@link
 * StateStore#removeLost}). Whoever comes second sees the first: a drain cannot claim a placement
 * that is already gone, and a failure handler that takes a claim waits for its {@linkplain
 * Replacement#outcome outcome} instead of placing a replacement of its own, and places one only
 * when the drain made none (its surge did not fit, or its creation failed). Removing the
 * placement in any other way drops its claim (nothing would ever look it up again).
 *
 * <p>A claim whose replacement was created stays while the old placement exists (until the drain
 * stops it, or for good when the runtime cannot stop it): the workload then runs that replacement
 * beside the old container, and a later failure of the node must not replace the old one again.
 * A claim ended without a replacement is dropped before its outcome completes, so a failure
 * handler either found the claim (and hears the outcome) or finds none (and replaces at once).
 *
 * <p>Guarded by the store's lock, which is passed in, like the {@link PlacementIndex} it reads.
 * Not copied with the store: a copy (simulations) has no drain in flight. Drains only; the
 * scheduling path never reads it, and {@link #forget} on an empty map costs nothing.
 */
final class Replacements {
  /**
   * One drain's replacement of one placement. The drain completes {@link #outcome} once, with the
   * replacement's result, or with null when it made none.
   */
  static final class Replacement {
    final String oldId;
    /**
     * Set by the drain before it stops the old container in order to replace it after (evict
     * first): such a placement is TERMINATING but still owed a replacement, unlike one that is
     * going away for good (scale down, or stopped after its surge replacement was created).
     */
    volatile boolean evicting;
    /** The replacement's result (success: it exists), or null when the drain made none. */
    final CompletableFuture<SchedulingResult> outcome = new CompletableFuture<>();

    Replacement(String oldId) {
      this.oldId = oldId;
    }

    /** Whether a replacement was created (the outcome is in and it succeeded). */
    boolean made() {
      SchedulingResult r = outcome.getNow(null);
      return r != null && r.success();
    }
  }

  /**
   * A placement removed because its node failed, with the drain's claim on it (or null).
   *
   * @param placement the removed placement, as it was at removal
   * @param claim the replacement a drain is making or made, or null
   */
  record Lost(Placement placement, Replacement claim) {}

  private final ReentrantLock lock;
  private final PlacementIndex placements;
  private final Map<String, Replacement> byOld = new HashMap<>();

  Replacements(ReentrantLock lock, PlacementIndex placements) {
    this.lock = lock;
    this.placements = placements;
  }

  /**
   * Claims the replacement of {@code oldId} for a drain.
   *
   * @return a new claim; the claim of an earlier drain whose replacement exists and still runs
   *     (the caller only has to stop the old container); or null when the placement is gone,
   *     terminating, or another drain is replacing it
   */
  Replacement claim(String oldId) {
    lock.lock();
    try {
      PlacementIndex.Entry e = placements.entry(oldId);
      if (e == null || e.placement.status() == Placement.Status.TERMINATING) {
        return null;
      }
      Replacement existing = byOld.get(oldId);
      if (existing != null) {
        if (!existing.outcome.isDone()) {
          return null; // another drain's, in flight
        }
        if (running(existing.outcome.join())) {
          return existing;
        }
        // Its replacement is gone since (scaled down, its own node failed): replace again.
      }
      Replacement r = new Replacement(oldId);
      byOld.put(oldId, r);
      return r;
    } finally {
      lock.unlock();
    }
  }

  /** Ends {@code r} with a created replacement: the claim stays while the old placement does. */
  void replaced(Replacement r, SchedulingResult result) {
    r.outcome.complete(result);
  }

  /**
   * Ends {@code r} without a replacement ({@code result} the failed one, or null): the claim is
   * dropped first, so that a failure handler either has it and hears this, or replaces alone.
   */
  void abandoned(Replacement r, SchedulingResult result) {
    lock.lock();
    try {
      byOld.remove(r.oldId, r);
    } finally {
      lock.unlock();
    }
    r.outcome.complete(result);
  }

  /** Whether {@code result}'s container is placed and not terminating (it counts as a replica). */
  boolean running(SchedulingResult result) {
    if (result == null || !result.success()) {
      return false;
    }
    PlacementIndex.Entry e = placements.entry(result.containerId());
    return e != null && e.placement.status() != Placement.Status.TERMINATING;
  }

  /** Takes the claim on {@code oldId}, whose placement the caller (holding the lock) removes. */
  Replacement take(String oldId) {
    assert lock.isHeldByCurrentThread();
    return byOld.isEmpty() ? null : byOld.remove(oldId);
  }

  /** Drops the claim on {@code oldId}, whose placement the caller (holding the lock) removes. */
  void forget(String oldId) {
    take(oldId);
  }
}
