package io.orchestra.discovery.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.time.Timeouts;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Transport;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.DiscoverySource;
import io.orchestra.discovery.InstanceStatus;
import io.orchestra.discovery.ServiceUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The engine behind {@link io.orchestra.discovery.ServiceDiscovery}: the per-service cache
 * (tier 1: ready-to-pick snapshots; tier 2: the last answer kept past its TTL for stale serving;
 * tier 3: the sources' own caches such as ZooKeeper watches), refresh with stale-while-revalidate,
 * and the pick path with its fallbacks. Thread-safe.
 */
public final class DiscoveryEngine implements AutoCloseable {
  private static final long FORCED_REFRESH_SPACING = 1_000_000_000L;

  private final Runtime rt;
  private final SourceFanout fanout;
  private final Refresher refresher;
  private final ConcurrentHashMap<String, ServiceEntry> entries = new ConcurrentHashMap<>();

  /** An engine over {@code sources} (already filtered by the configured mechanisms, in merge order). */
  public DiscoveryEngine(
      DiscoveryConfig config,
      Ticker ticker,
      Clock clock,
      Scheduler scheduler,
      RandomSource random,
      TelemetrySink telemetry,
      Transport transport,
      List<DiscoverySource> sources) {
    HealthChecker checker =
        transport != null && config.activeHealthChecks()
            ? new HealthChecker(transport, scheduler, random)
            : null;
    this.rt = new Runtime(config, ticker, clock, scheduler, random, telemetry, checker);
    this.fanout =
        new SourceFanout(sources, scheduler, ticker, clock, telemetry, config.timeout().toNanos());
    this.refresher = new Refresher(rt, fanout);
  }

  // ------------------------------------------------------------------ picking

  /** One instance of {@code service} for a call in {@code ctx}. */
  public ServiceInstance discover(String service, ClientContext ctx) {
    ServiceEntry e = entries.get(service);
    Snapshot snap = e == null ? null : e.snapshot;
    if (snap == null) {
      return discoverCold(service, ctx);
    }
    if (!e.fresh) {
      return discoverChecked(e, snap, ctx);
    }
    // Fresh and not due (a timer says when that ends): no clock read, except to time a sample.
    if (!e.timeThisCall()) {
      e.metrics.hits.increment();
      return pick(e, snap, ctx).instance;
    }
    long start = rt.ticker.read();
    e.metrics.hits.increment();
    ServiceInstance picked = pick(e, snap, ctx).instance; // every 64th pick is timed
    e.metrics.latency.record(rt.ticker.read() - start);
    return picked;
  }

  /** The warm path when the entry may be stale or due: decides by the clock. */
  private ServiceInstance discoverChecked(ServiceEntry e, Snapshot snap, ClientContext ctx) {
    long now = rt.ticker.read();
    if (now - e.lastSuccessAt > rt.refreshNanos) {
      snap = staleOrRefetch(e, snap, now, ctx);
    } else {
      e.metrics.hits.increment();
    }
    if (now - e.nextRefreshAt >= 0) {
      refresher.refresh(e); // stale-while-revalidate: this call still uses what it has
    }
    if (!e.timeThisCall()) {
      return pick(e, snap, ctx).instance;
    }
    ServiceInstance picked = pick(e, snap, ctx).instance; // every 64th pick is timed
    e.metrics.latency.record(rt.ticker.read() - now);
    return picked;
  }

  private ServiceInstance discoverCold(String service, ClientContext ctx) {
    long start = rt.ticker.read();
    ServiceEntry e = entry(service);
    e.metrics.misses.increment();
    Snapshot snap = e.snapshot;
    if (snap == null) {
      snap = awaitRefresh(e, ctx);
    }
    if (snap == null) {
      throw new ServiceUnavailableException(
          service, "no source answered for service '" + service + "' and nothing is cached");
    }
    ServiceInstance picked = pick(e, snap, ctx).instance;
    e.metrics.latency.record(rt.ticker.read() - start);
    return picked;
  }

  /** Past the TTL: serve stale within maxStale (counting it), else wait for a refresh. */
  private Snapshot staleOrRefetch(ServiceEntry e, Snapshot snap, long now, ClientContext ctx) {
    if (now - e.lastSuccessAt <= rt.refreshNanos + rt.maxStaleNanos) {
      e.metrics.stale.increment();
      if (!e.staleNoticed) {
        e.staleNoticed = true;
        rt.event("discovery.stale_serve", "service", e.name);
      }
      return snap;
    }
    Snapshot fresh = awaitRefresh(e, ctx);
    if (fresh == null || rt.ticker.read() - e.lastSuccessAt > rt.refreshNanos + rt.maxStaleNanos) {
      throw new ServiceUnavailableException(
          e.name,
          "no source answered for service '" + e.name + "' and its cached instances are older than"
              + " refreshInterval + maxStale");
    }
    return fresh;
  }

  /** Refreshes now and waits (bounded by the sources' timeout and the caller's deadline). */
  private Snapshot awaitRefresh(ServiceEntry e, ClientContext ctx) {
    CompletableFuture<Void> f = refresher.refresh(e);
    if (ctx.deadlineNanos() != 0) {
      long left = ctx.deadlineNanos() - rt.ticker.read();
      f = Timeouts.within(f, Math.max(0, left), rt.scheduler);
    }
    try {
      f.join();
    } catch (RuntimeException ex) {
      if (!(CallOutcome.unwrap(ex) instanceof TimeoutException)) {
        throw ex;
      }
    }
    return e.snapshot;
  }

  private InstanceState pick(ServiceEntry e, Snapshot snap, ClientContext ctx) {
    Pool pool = snap.poolFor(ctx);
    InstanceState s = pool.picker.pick(ctx);
    if (s == null && pool != snap.global) {
      s = snap.global.picker.pick(ctx);
    }
    if (s == null) {
      s = fallback(e, snap, ctx);
    }
    s.onPicked();
    return s;
  }

  /**
   * Nothing usable in the pools. With no eligible instance at all: refetch once (spaced by a
   * second) and fail naming the service. With eligible instances whose breakers are all open: the
   * best-scored one, emitting a bypass event. With every eligible instance in the avoid set: the
   * best-scored one anyway (a repeated instance beats no instance for a retry).
   */
  private InstanceState fallback(ServiceEntry e, Snapshot snap, ClientContext ctx) {
    if (snap.global.members.length == 0) {
      long now = rt.ticker.read();
      if (now - e.lastForcedRefreshAt >= FORCED_REFRESH_SPACING || e.lastForcedRefreshAt == Long.MIN_VALUE) {
        e.lastForcedRefreshAt = now;
        Snapshot fresh = awaitRefresh(e, ctx);
        if (fresh != null && fresh.global.members.length > 0) {
          InstanceState s = fresh.global.picker.pick(ctx);
          return s != null ? s : fallback(e, fresh, ctx);
        }
      }
      throw new ServiceUnavailableException(
          e.name,
          "no healthy instance of service '" + e.name + "' (" + snap.all.length
              + " known, " + snap.healthy + " healthy, none eligible)");
    }
    InstanceState best = best(snap.global.members, ctx, true);
    if (best != null) {
      e.metrics.bypasses.increment();
      rt.event("discovery.circuit_breaker_bypass", "service", e.name, "instance", best.id);
      return best;
    }
    return best(snap.global.members, ctx, false);
  }

  private InstanceState best(InstanceState[] members, ClientContext ctx, boolean honourAvoid) {
    InstanceState best = null;
    double bestScore = -1;
    for (InstanceState s : members) {
      if (honourAvoid && ctx.avoids(s.id)) {
        continue;
      }
      double score = rt.scorer.score(s, ctx);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  /** The eligible instances ranked by score (open breakers last and only if all are open). */
  public List<ServiceInstance> candidates(String service, ClientContext ctx) {
    Snapshot snap = warmSnapshot(service, ctx);
    InstanceState[] members = snap.global.members;
    List<InstanceState> open = new ArrayList<>();
    List<InstanceState> usable = new ArrayList<>(members.length);
    boolean breakers = rt.config.circuitBreakerEnabled();
    for (InstanceState s : members) {
      if (ctx.avoids(s.id)) {
        continue;
      }
      (Picker.usable(s, ctx, breakers) ? usable : open).add(s);
    }
    List<InstanceState> ranked = usable.isEmpty() ? open : usable;
    double[] scores = new double[ranked.size()];
    Integer[] order = new Integer[ranked.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = rt.scorer.score(ranked.get(i), ctx);
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    List<ServiceInstance> out = new ArrayList<>(order.length);
    for (Integer i : order) {
      out.add(ranked.get(i).instance);
    }
    return out;
  }

  /** The eligible instances of {@code service} from the cache, fetching on a miss; empty if none. */
  public List<ServiceInstance> eligible(String service) {
    ServiceEntry e = entries.get(service);
    Snapshot snap = e == null ? null : e.snapshot;
    if (snap != null) {
      if (e.fresh) {
        return snap.global.view;
      }
      long now = rt.ticker.read();
      if (now - e.nextRefreshAt >= 0) {
        refresher.refresh(e);
      }
      if (now - e.lastSuccessAt <= rt.refreshNanos + rt.maxStaleNanos) {
        return snap.global.view;
      }
    }
    try {
      return warmSnapshot(service, ClientContext.none()).global.view;
    } catch (ServiceUnavailableException ex) {
      return List.of();
    }
  }

  private Snapshot warmSnapshot(String service, ClientContext ctx) {
    ServiceEntry e = entry(service);
    Snapshot snap = e.snapshot;
    long now = rt.ticker.read();
    if (snap == null) {
      e.metrics.misses.increment();
      snap = awaitRefresh(e, ctx);
      if (snap == null) {
        throw new ServiceUnavailableException(
            service, "no source answered for service '" + service + "' and nothing is cached");
      }
      return snap;
    }
    if (now - e.lastSuccessAt > rt.refreshNanos) {
      snap = staleOrRefetch(e, snap, now, ctx);
    } else {
      e.metrics.hits.increment();
    }
    if (now - e.nextRefreshAt >= 0) {
      refresher.refresh(e);
    }
    return snap;
  }

  // ------------------------------------------------------------------ signals and membership

  /** Passive health: one call to {@code instance} ended with {@code outcome}. */
  public void recordResult(ServiceInstance instance, CallOutcome outcome, long latencyNanos) {
    ServiceEntry e = entries.get(instance.serviceName());
    if (e == null) {
      return;
    }
    InstanceState s = e.states.get(instance.id());
    if (s == null) {
      return;
    }
    s.onReported();
    e.onResult(s, outcome, latencyNanos);
  }

  /** Refreshes {@code service} from its sources now; completes when merged. */
  public CompletableFuture<Void> refresh(String service) {
    return refresher.refresh(entry(service));
  }

  /** Invalidates the cached entry of {@code service} (after a registration change). */
  public void invalidate(String service) {
    ServiceEntry e = entries.get(service);
    if (e != null) {
      e.fresh = false;
      e.nextRefreshAt = rt.ticker.read();
      refresher.refresh(e);
    }
  }

  /** Lets an instance registered again through this discovery back in despite a recent removal. */
  public void reviveInstance(String service, String instanceId) {
    ServiceEntry e = entries.get(service);
    if (e != null) {
      e.revive(instanceId);
    }
  }

  /** Drops an explicitly deregistered instance from the cache at once. */
  public void removeInstance(String service, String instanceId) {
    ServiceEntry e = entries.get(service);
    if (e != null) {
      e.remove(instanceId, rt.ticker.read());
    }
  }

  /** What is known about one instance, or null when it is not in the cache. */
  public InstanceStatus status(String service, String instanceId) {
    ServiceEntry e = entries.get(service);
    InstanceState s = e == null ? null : e.states.get(instanceId);
    if (s == null) {
      return null;
    }
    // One state: the score is computed from the fields read here under the instance's monitor
    // (the stored score part is updated after a signal, outside it) and from the same
    // outstanding count that the status reports.
    synchronized (s) {
      int outstanding = s.outstanding;
      return new InstanceStatus(
          s.instance,
          s.health.name(),
          s.ejected(),
          s.ejections,
          s.missing,
          s.consecutiveFailures,
          s.consecutiveSuccesses,
          s.errorRate,
          s.latencySamples == 0 ? 0 : s.meanLatency,
          s.peakEwma,
          outstanding,
          rt.scorer.scoreNow(s, ClientContext.none(), outstanding),
          s.breaker == null ? null : s.breaker.state());
    }
  }

  /** Whether {@code service}'s snapshot is in panic mode. */
  public boolean panic(String service) {
    ServiceEntry e = entries.get(service);
    Snapshot s = e == null ? null : e.snapshot;
    return s != null && s.panic;
  }

  private ServiceEntry entry(String service) {
    ServiceEntry e = entries.get(service);
    if (e != null) {
      return e;
    }
    return entries.computeIfAbsent(
        service,
        name -> {
          ServiceEntry created = new ServiceEntry(name, rt);
          refresher.watch(created);
          return created;
        });
  }

  @Override
  public void close() {
    for (ServiceEntry e : entries.values()) {
      e.close();
    }
  }
}
