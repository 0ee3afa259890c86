package io.orchestra.scheduler.internal;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.time.RandomSource;
import io.orchestra.scheduler.DeploymentRequest;
import io.orchestra.scheduler.NodeInfo;
import io.orchestra.scheduler.Placement;
import io.orchestra.scheduler.Unschedulable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decides where a request goes and reserves it, without ever over-committing a node, however
 * many threads place at once.
 *
 * <p>Optimistic concurrency: the filter and score pass runs without the lock on the live arrays
 * (a scheduling thread may read values that are being changed); then, under the store's lock, the
 * choice is committed if the store's version is still the one the decision started from, or else
 * re-validated by running every filter again for the chosen node against a freshly prepared
 * context. A choice that no longer passes is retried; after {@code optimisticAttempts} such
 * conflicts the whole decision runs under the lock, so progress is guaranteed. Because every
 * commit happens under the lock against the current state, capacity, anti-affinity and spread
 * can never be violated by a race.
 *
 * <p>When nothing fits, the explanation is built from the same state the failed decision saw: in
 * the same lock hold when the decision ran under the lock, and otherwise from unlocked reads that
 * the store's sequence lock validates afterwards, as it validates the decision. An explanation
 * during which the state changed is thrown away and the decision made again (counted in {@link
 * Decision#attempts()}; after {@code optimisticAttempts} the decision and its explanation run under
 * the lock). So the counts of an {@link Unschedulable} describe one state of the cluster, never a
 * mix of states. User filter plugins run under the lock only in a locked decision (or check) and
 * when a choice is re-validated; a successful placement pays nothing for this.
 *
 * <p>Thread-safe. Scratch memory is per thread.
 */
public final class Placer {
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  /** Seed of every simulation's tie-breaks and container ids. */
  private static final long SIMULATION_SEED = 0x5eedL;

  private final StateStore store;
  private final Pipeline pipeline;
  /** {@link Pipeline#explain}, made once: an unschedulable decision allocates no lambda for it. */
  private final Function<RequestContext, Unschedulable> explain;
  private final int optimisticAttempts;
  private final RandomSource random;
  private final ThreadLocal<RequestContext> contexts = ThreadLocal.withInitial(RequestContext::new);
  private volatile long conflicts;

  /** A placer over {@code store}. */
  public Placer(StateStore store, Pipeline pipeline, int optimisticAttempts, RandomSource random) {
    this.store = Checks.notNull("store", store);
    this.pipeline = Checks.notNull("pipeline", pipeline);
    this.explain = this.pipeline::explain;
    this.optimisticAttempts = optimisticAttempts;
    this.random = Checks.notNull("random", random);
  }

  /**
   * A placer over a deep copy of the store (for simulations), with randomness of its own: a
   * simulation draws nothing from this placer's source, so it cannot change the real choices
   * that follow (with a seeded source), and the same state and changes give the same answer.
   */
  public Placer onCopy() {
    return new Placer(
        store.copy(),
        pipeline.forSimulation(RandomSource.seeded(SIMULATION_SEED)),
        optimisticAttempts,
        RandomSource.seeded(SIMULATION_SEED + 1));
  }

  /** The store this placer commits to. */
  public StateStore store() {
    return store;
  }

  /** The pipeline. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /** Optimistic decisions that were invalidated by concurrent changes so far. */
  public long conflicts() {
    return conflicts;
  }

  /** Decides and reserves: the placement is committed as PENDING, or nothing fits. */
  public Decision place(DeploymentRequest request) {
    Checks.notNull("request", request);
    RequestContext ctx = contexts.get();
    int attempts = 0;
    while (true) {
      attempts++;
      boolean locked = attempts > optimisticAttempts;
      if (locked) {
        store.lock.lock();
      }
      try {
        long version = store.version();
        ctx.prepare(store, request, pipeline.honorsTaints());
        int slot = pipeline.select(ctx);
        if (slot < 0) {
          if (!locked && !store.unchangedSince(version)) {
            continue; // the state changed while we looked: maybe something fits now
          }
          // The explanation reads the state again, so it is validated like the decision: built
          // under this lock hold, or unlocked and kept only if the state is still the one the
          // decision saw (else its counts could mix states; decide again).
          Unschedulable why = orNullIfTorn(explain, ctx, locked, version);
          if (locked || store.unchangedSince(version)) {
            return new Decision(null, why, Double.NaN, attempts, 0);
          }
          continue;
        }
        double score = ctx.bestScore;
        int feasible = ctx.feasible;
        if (!locked) {
          store.lock.lock();
        }
        try {
          if (!store.unchangedSince(version)) {
            ctx.prepare(store, request, pipeline.honorsTaints());
            if (!pipeline.feasible(ctx, slot)) {
              conflicts++;
              continue;
            }
          }
          Placement p = store.commit(slot, request, ctx.req, newId(request.workload()), Placement.Status.PENDING);
          return new Decision(p, null, score, attempts, feasible);
        } finally {
          if (!locked) {
            store.lock.unlock();
          }
        }
      } finally {
        if (locked) {
          store.lock.unlock();
        }
      }
    }
  }

  /**
   * {@code read} of {@code ctx}, or null when it threw on a torn state (only possible without the
   * lock, and then the version has moved, so the caller's check discards the null and decides or
   * reads again). An explanation's reason or fix reads the counts again after its test did: a
   * placement removed in between leaves it nothing failing to name (a null term).
   */
  private <T> T orNullIfTorn(Function<RequestContext, T> read, RequestContext ctx, boolean locked, long version) {
    try {
      return read.apply(ctx);
    } catch (RuntimeException e) {
      if (locked || store.unchangedSince(version)) {
        throw e; // a real failure, not a torn state
      }
      return null;
    }
  }

  /**
   * Explains where {@code request} could not go right now, without placing it: null when some
   * node fits. The answer, and every count of the explanation, describe one state of the cluster:
   * it is made without the lock and kept only when the store's version shows that nothing changed
   * meanwhile, else made again; after {@code optimisticAttempts} such retries, under the lock.
   */
  public Unschedulable check(DeploymentRequest request) {
    // Filters only: a check neither scores nor moves the round-robin cursor or the search start.
    return consistently(request, ctx -> pipeline.filterAll(ctx) > 0 ? null : pipeline.explain(ctx));
  }

  /**
   * {@code read} of one state of the cluster: made without the lock and kept only when the
   * store's version shows that nothing changed meanwhile, else made again; after {@code
   * optimisticAttempts} such retries, under the lock. An answer read from a torn state (a node
   * removed under it reads as null) is discarded, and so is an exception thrown while the state
   * moved (an explanation's reason may find nothing failing any more): both are made again.
   */
  private <T> T consistently(DeploymentRequest request, Function<RequestContext, T> read) {
    RequestContext ctx = contexts.get();
    int attempts = 0;
    while (true) {
      attempts++;
      boolean locked = attempts > optimisticAttempts;
      if (locked) {
        store.lock.lock();
      }
      try {
        long version = store.version();
        ctx.prepare(store, request, pipeline.honorsTaints());
        T answer = orNullIfTorn(read, ctx, locked, version);
        if (locked || store.unchangedSince(version)) {
          return answer;
        }
      } finally {
        if (locked) {
          store.lock.unlock();
        }
      }
    }
  }

  /**
   * The ids of the nodes that pass every filter for {@code request} right now, in slot order, all
   * from one state of the cluster (see {@link #consistently}).
   */
  public List<String> feasibleNodes(DeploymentRequest request) {
    return consistently(request, ctx -> {
      int m = pipeline.filterAll(ctx);
      List<String> out = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        NodeInfo node = ctx.table.info[ctx.candidates[i]];
        if (node != null) { // null: removed meanwhile, and this answer is discarded
          out.add(node.id());
        }
      }
      return out;
    });
  }

  /** {@code workload-xxxxx}, unique in the store. Under the lock. */
  private String newId(String workload) {
    while (true) {
      long r = random.nextLong();
      // One char array for the whole id: the String is built from it directly.
      int w = workload.length();
      char[] chars = new char[w + 6];
      workload.getChars(0, w, chars, 0);
      chars[w] = '-';
      for (int i = w + 1; i < chars.length; i++) {
        chars[i] = ALPHABET[(int) Long.remainderUnsigned(r, ALPHABET.length)];
        r = Long.divideUnsigned(r, ALPHABET.length);
      }
      String id = new String(chars);
      if (!store.hasPlacement(id)) {
        return id;
      }
    }
  }
}
