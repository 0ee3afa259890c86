package io.orchestra.discovery.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.LoadBalancing;
import io.orchestra.discovery.Registration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One service in the cache: its instance states, the current {@link Snapshot}, and refresh
 * bookkeeping. Membership, health and ejection changes happen under this object's monitor and
 * end with a new snapshot; picking threads only read the volatile snapshot.
 */
final class ServiceEntry {
  final String name;
  final LoadBalancing algorithm;
  final ServiceMetrics metrics;
  final Map<String, InstanceState> states = new ConcurrentHashMap<>();
  final AtomicLong counter = new AtomicLong();
  private final Runtime rt;
  private final DiscoveryConfig config;

  volatile Snapshot snapshot; // null until the first successful fetch
  volatile long lastSuccessAt;
  volatile long nextRefreshAt;
  volatile long lastForcedRefreshAt = Long.MIN_VALUE;
  volatile boolean staleNoticed;
  /**
   * True from a successful refresh until the entry falls due ({@link #nextRefreshAt}, per a timer
   * on the injected scheduler) or a refresh starts: the warm path then knows the snapshot is
   * fresh and not due without reading the ticker (a clock read costs more than a pick).
   */
  volatile boolean fresh;
  private Scheduler.Cancellable freshTimer; // guarded by this
  private long freshGeneration; // guarded by this
  /** The running refresh, or null; set by compare-and-set, so a caller that loses sees the winner's. */
  final AtomicReference<CompletableFuture<Void>> inflight = new AtomicReference<>();
  volatile boolean refreshAgain;
  int failedRefreshes; // written only by the one running refresh
  /**
   * Counters choosing the 1-in-64 warm calls that get timed, one 64-byte line per stripe of
   * threads (the first line, next to the array header, is left unused): one shared counter would
   * be written by every call on every thread, and its line would keep bouncing between cores.
   * Racy on purpose: a lost increment only shifts which call is timed.
   */
  private final int[] sampleStripes = new int[(SAMPLE_STRIPES + 1) * INTS_PER_LINE];
  private static final int SAMPLE_STRIPES = 8;
  private static final int INTS_PER_LINE = 16;
  /** A coalesced rebuild is scheduled; set without the lock so reports never wait for it. */
  private final AtomicBoolean rebuildPending = new AtomicBoolean();
  private boolean tickPending; // guarded by this
  volatile List<AutoCloseable> watches = List.of();
  /** Counts explicit removals; a fetch remembers the count it started at. */
  final AtomicLong removals = new AtomicLong();
  /**
   * Explicitly removed ids. A removed id stays out until a source answer read after the removal
   * no longer lists it (the sources caught up), or until the tombstone expires after one refresh
   * interval: a fetch begun earlier, or a watched cache that has not yet seen the delete (a
   * ZooKeeper watch is asynchronous), cannot revive it, while a genuine re-registration by
   * another process is picked up once the tombstone expires.
   */
  private final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();

  private record Tombstone(long removal, long atNanos) {}

  ServiceEntry(String name, Runtime rt) {
    this.name = name;
    this.rt = rt;
    this.config = rt.config;
    this.algorithm = config.algorithmFor(name);
    this.metrics = new ServiceMetrics(rt.telemetry, name);
    Tags total = Tags.of("service", name, "state", "total");
    Tags healthy = Tags.of("service", name, "state", "healthy");
    rt.telemetry.gauge(ServiceMetrics.INSTANCES, total, () -> sizeOf(snapshot, false));
    rt.telemetry.gauge(ServiceMetrics.INSTANCES, healthy, () -> sizeOf(snapshot, true));
  }

  private static double sizeOf(Snapshot s, boolean healthy) {
    return s == null ? 0 : healthy ? s.healthy : s.all.length;
  }

  /** Whether this warm call is one of the 1 in 64 whose duration is recorded. */
  @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19
  boolean timeThisCall() {
    int at = (1 + ((int) Thread.currentThread().getId() & (SAMPLE_STRIPES - 1))) * INTS_PER_LINE;
    return (++sampleStripes[at] & 63) == 0;
  }

  // ------------------------------------------------------------------ freshness

  /**
   * After a successful refresh at {@code now}: marks the entry fresh until {@link
   * #nextRefreshAt}, when a timer clears the mark again. Only refreshes call this.
   */
  synchronized void markFresh(long now) {
    if (freshTimer != null) {
      freshTimer.cancel();
      freshTimer = null;
    }
    long delay = nextRefreshAt - now;
    if (delay <= 0) {
      fresh = false;
      return;
    }
    long generation = ++freshGeneration;
    // Armed before the mark is set: a scheduler that refuses the timer leaves the entry on the
    // clock-reading path instead of fresh forever. The timer cannot run before this returns
    // (dueAt needs this monitor).
    freshTimer = rt.scheduler.schedule(() -> dueAt(generation), delay);
    fresh = true;
  }

  /** The timer of {@link #markFresh}: the entry is due, so picks must read the clock again. */
  private synchronized void dueAt(long generation) {
    if (generation == freshGeneration) {
      fresh = false;
      freshTimer = null;
    }
  }

  // ------------------------------------------------------------------ membership

  /**
   * Merges a fresh answer from the sources; see the "missing but healthy" rule in the docs. The
   * snapshot is rebuilt only when membership or a registration changed: most refreshes find
   * nothing new, and a rebuild (pickers, Maglev tables) is the expensive part.
   */
  synchronized void apply(List<Registration> merged, long now, long removalsAtStart) {
    boolean initial = snapshot == null && states.isEmpty();
    boolean changed = snapshot == null;
    long addedAt = initial ? now - config.slowStartWindow().toNanos() : now;
    Set<String> seen = new HashSet<>();
    long tombstoneTtl = config.refreshInterval().toNanos();
    Set<String> listed = new HashSet<>();
    for (Registration r : merged) {
      listed.add(r.id());
      Tombstone t = tombstones.get(r.id());
      if (t != null && now - t.atNanos() < tombstoneTtl) {
        continue; // deregistered here recently: this answer (or the source behind it) lags
      }
      seen.add(r.id());
      InstanceState s = states.get(r.id());
      if (s == null) {
        s = rt.newState(r, metrics, addedAt);
        states.put(r.id(), s);
        changed = true;
        if (rt.healthChecker != null) {
          rt.healthChecker.start(this, s);
        }
      } else {
        if (!r.instance().equals(s.instance) || !rt.healthCheckOf(r).equals(s.healthCheck)) {
          s.registration = r;
          s.instance = r.instance();
          s.healthCheck = rt.healthCheckOf(r);
          changed = true;
        }
        s.missing = false;
      }
    }
    for (InstanceState s : states.values()) {
      if (!seen.contains(s.id)) {
        if (s.failing(config.failureThreshold())) {
          drop(s, "gone_and_failing");
          changed = true;
        } else if (!s.missing) {
          s.missing = true; // gone from discovery but healthy: keeps traffic until it also fails
          rt.event("discovery.instance_missing", "service", name, "instance", s.id);
        }
      }
    }
    tombstones
        .entrySet()
        .removeIf(
            t ->
                now - t.getValue().atNanos() >= tombstoneTtl
                    || (t.getValue().removal() <= removalsAtStart && !listed.contains(t.getKey())));
    if (changed) {
      rebuild(now);
    }
  }

  /** Forgets a tombstone: the instance was registered again through this discovery. */
  void revive(String id) {
    tombstones.remove(id);
  }

  /** Removes an explicitly deregistered instance at once. */
  synchronized boolean remove(String id, long now) {
    tombstones.put(id, new Tombstone(removals.incrementAndGet(), now));
    InstanceState s = states.get(id);
    if (s == null) {
      return false;
    }
    drop(s, "deregistered");
    rebuild(now);
    return true;
  }

  private void drop(InstanceState s, String reason) {
    states.remove(s.id, s);
    s.removed = true;
    metrics.forgetPicks(s.id);
    if (rt.healthChecker != null) {
      rt.healthChecker.stop(s);
    }
    synchronized (s) {
      if (s.returnTask != null) {
        s.returnTask.cancel();
      }
    }
    rt.event("discovery.instance_removed", "service", name, "instance", s.id, "reason", reason);
  }

  /** Builds and publishes a new snapshot. */
  synchronized void rebuild(long now) {
    Snapshot before = snapshot;
    Snapshot after = rt.snapshots.build(states.values(), algorithm, now, counter);
    snapshot = after;
    if (after.panic && (before == null || !before.panic)) {
      rt.event(
          "discovery.panic", "service", name, "healthy", String.valueOf(after.healthy),
          "total", String.valueOf(after.all.length));
    } else if (!after.panic && before != null && before.panic) {
      rt.event("discovery.panic_over", "service", name);
    }
    if (after.warming && !tickPending) {
      // Slow start: re-weigh ten times over the window.
      tickPending = true;
      long step = Math.max(1, config.slowStartWindow().toNanos() / 10);
      rt.scheduler.schedule(
          () -> {
            synchronized (this) {
              tickPending = false;
              rebuild(rt.ticker.read());
            }
          },
          step);
    }
  }

  /**
   * Rebuilds within a second, coalescing the many score changes that reports cause. Called on the
   * report path, so it takes no lock: only the scheduled rebuild does.
   */
  private void rebuildSoon() {
    if (algorithm != LoadBalancing.WEIGHTED_ROUND_ROBIN || !rebuildPending.compareAndSet(false, true)) {
      return;
    }
    rt.scheduler.schedule(
        () -> {
          synchronized (this) {
            rebuildPending.set(false);
            rebuild(rt.ticker.read());
          }
        },
        1_000_000_000L);
  }

  // ------------------------------------------------------------------ health signals

  /** One active health check result. */
  void onCheck(InstanceState s, boolean success) {
    if (s.removed) {
      return;
    }
    boolean flipped = s.onCheck(success, config.failureThreshold(), config.healthyThreshold());
    boolean bucket = rt.scorer.update(s);
    if (flipped) {
      synchronized (this) {
        if (s.removed) {
          return;
        }
        rt.event(
            "discovery.health_change", "service", name, "instance", s.id,
            "health", s.health.name().toLowerCase(java.util.Locale.ROOT));
        if (s.missing && s.failing(config.failureThreshold())) {
          drop(s, "gone_and_failing");
        }
        rebuild(rt.ticker.read());
      }
    } else if (bucket) {
      rebuildSoon();
    }
  }

  /** One call outcome reported back (passive health, breaker, outlier detection). */
  void onResult(InstanceState s, CallOutcome outcome, long latencyNanos) {
    long now = rt.ticker.read();
    s.onResult(outcome, latencyNanos, now, config.peakEwmaDecay().toNanos());
    if (s.breaker != null) {
      s.breaker.onResult(outcome, Math.max(0, latencyNanos));
    }
    boolean bucket = rt.scorer.update(s);
    if (outcome.isFailure() && outcome != CallOutcome.CANCELLED && !s.ejected() && shouldEject(s)) {
      eject(s, now);
    } else if (bucket) {
      rebuildSoon();
    }
  }

  private boolean shouldEject(InstanceState s) {
    synchronized (s) {
      return s.consecutiveFailures >= config.failureThreshold()
          || (s.requests >= config.outlierMinimumRequests()
              && s.errorRate >= config.outlierErrorRate());
    }
  }

  /** Ejects {@code s} unless the max-ejection percentage is reached; the n-th ejection lasts n x base. */
  synchronized void eject(InstanceState s, long now) {
    if (s.removed || s.ejected()) {
      return;
    }
    int ejected = 0;
    for (InstanceState o : states.values()) {
      if (o.ejected()) {
        ejected++;
      }
    }
    int pct = config.maxEjectionPercent();
    int allowed = pct == 0 ? 0 : Math.max(1, states.size() * pct / 100);
    if (ejected >= allowed) {
      return;
    }
    long base = config.baseEjectionTime().toNanos();
    long duration;
    synchronized (s) {
      if (s.lastReturnAt != 0) {
        // Each quiet base period since the last return forgives one earlier ejection.
        long forgiven = Math.max(0, now - s.lastReturnAt) / base;
        s.ejections = (int) Math.max(0, s.ejections - forgiven);
      }
      s.ejections++;
      duration = Math.min(base * s.ejections, config.maxEjectionTime().toNanos());
      s.ejectedUntil = now + duration == 0 ? 1 : now + duration;
      s.returnTask = rt.scheduler.schedule(() -> unEject(s), duration);
    }
    rt.scorer.update(s);
    metrics.ejections.increment();
    rt.event(
        "discovery.ejection", "service", name, "instance", s.id,
        "durationMs", String.valueOf(duration / 1_000_000), "ejections", String.valueOf(s.ejections));
    if (s.missing) {
      drop(s, "gone_and_failing");
    }
    rebuild(now);
  }

  /** Ends an ejection: the instance returns with fresh passive counters. */
  synchronized void unEject(InstanceState s) {
    if (s.removed || !s.ejected()) {
      return;
    }
    long now = rt.ticker.read();
    synchronized (s) {
      s.ejectedUntil = 0;
      s.lastReturnAt = now == 0 ? 1 : now;
      s.returnTask = null;
    }
    s.resetPassive();
    rt.scorer.update(s);
    rt.event("discovery.ejection_return", "service", name, "instance", s.id);
    rebuild(now);
  }

  /** Stops health checks and watches. */
  synchronized void close() {
    fresh = false;
    if (freshTimer != null) {
      freshTimer.cancel();
      freshTimer = null;
    }
    for (InstanceState s : states.values()) {
      if (rt.healthChecker != null) {
        rt.healthChecker.stop(s);
      }
      if (s.returnTask != null) {
        s.returnTask.cancel();
      }
    }
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        // closing a watch must not stop closing the others
      }
    }
  }
}
