package io.orchestra.mesh.internal;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.Ticker;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime state of every destination a traffic manager routes to, by service name. A state is
 * created only for services that have instances, and one not routed to for a whole idle period is
 * dropped with its meters (see {@link DestinationState} for the protocol), so neither the map nor
 * the application's meter registry grows with services that come and go. Thread-safe.
 */
final class Destinations {
  private final InstanceSource instances;
  private final Ticker ticker;
  private final MeshTelemetry telemetry;
  private final boolean breakersEnabled;
  /** The sweep period in ticker nanos; 0 keeps every destination. */
  private final long idleNanos;
  private final AtomicLong nextSweep;
  private final ConcurrentHashMap<String, DestinationState> states = new ConcurrentHashMap<>();
  /**
   * The destination found last: a caller usually sends runs of requests to one service, and
   * comparing its name is cheaper than hashing into the map. Written only when it changes; a
   * DestinationState's name is final, so a racy read sees it whole, and a retired one is never
   * used (its phase is checked).
   */
  private DestinationState last;

  Destinations(InstanceSource instances, Ticker ticker, MeshTelemetry telemetry, boolean breakersEnabled, long idleNanos) {
    this.instances = instances;
    this.ticker = ticker;
    this.telemetry = telemetry;
    this.breakersEnabled = breakersEnabled;
    this.idleNanos = idleNanos;
    this.nextSweep = new AtomicLong(ticker.read() + idleNanos);
  }

  /** The state of {@code destination}, or null when there is none yet. */
  DestinationState get(String destination) {
    DestinationState seen = last;
    if (seen != null && seen.service.equals(destination) && seen.inUse()) {
      return seen;
    }
    while (true) {
      DestinationState ds = states.get(destination);
      if (ds == null) {
        return null;
      }
      if (ds.inUse() || ds.touch()) {
        if (ds != seen) {
          last = ds;
        }
        return ds;
      }
      retire(ds); // retired by a sweep that has not removed it yet
    }
  }

  /**
   * The state of {@code destination} if it has one, without counting as a use: a monitor polling
   * a breaker's state must not keep an idle destination from being dropped.
   */
  DestinationState peek(String destination) {
    DestinationState ds = states.get(destination);
    return ds == null || ds.retired() ? null : ds;
  }

  /** The state of {@code destination}, created on first use. */
  DestinationState stateOf(String destination) {
    while (true) {
      DestinationState ds =
          states.computeIfAbsent(destination, d -> new DestinationState(d, instances, ticker, telemetry, breakersEnabled));
      if (ds.inUse() || ds.touch()) {
        return ds;
      }
      retire(ds);
    }
  }

  /**
   * Removes a retired state's meters, then the state. In this order, and by whichever thread
   * meets it first (the sweep or a request; the meters go once): a state made afresh for the same
   * service must not be handed the old meters (a sink such as Micrometer returns the registered
   * meter for an id) and then see them removed under it.
   */
  private void retire(DestinationState ds) {
    ds.forgetMeters();
    states.remove(ds.service, ds);
  }

  /**
   * The state of {@code destination} when the instance source knows it (has instances), created
   * if needed; else null. Used on the denial path only (forwarded requests create the state after
   * their own instance lookup). Never throws: a failing instance source just leaves it null.
   */
  DestinationState known(String destination) {
    try {
      List<ServiceInstance> list = instances.instances(destination);
      if (list == null || list.isEmpty()) {
        return null;
      }
      return stateOf(destination);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Sweeps for idle destinations when a period has passed since the last sweep ({@code now} is a
   * ticker reading the caller already took). One caller per period wins the sweep and pays for it,
   * O(destinations); every other call is one read and a comparison. Returns whether this call
   * swept, so that the caller can sweep what else lives per destination (rate-limit tables).
   */
  boolean maybeSweep(long now) {
    if (idleNanos == 0) {
      return false;
    }
    long due = nextSweep.get();
    if (now - due >= 0 && nextSweep.compareAndSet(due, now + idleNanos)) {
      sweep();
      return true;
    }
    return false;
  }

  private void sweep() {
    for (DestinationState ds : states.values()) {
      if (ds.retireIfIdle()) {
        retire(ds);
        if (last == ds) {
          last = null; // racy, and harmless: a retired state is never used, only not yet freed
        }
      }
    }
  }
}
