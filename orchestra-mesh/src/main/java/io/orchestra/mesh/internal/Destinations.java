package io.orchestra.mesh.internal;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.Ticker;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime state of every destination a traffic manager has routed to, by service name. A
 * state is created only for services that have instances (which bounds the map) and is never
 * removed. Thread-safe.
 */
final class Destinations {
  private final InstanceSource instances;
  private final Ticker ticker;
  private final MeshTelemetry telemetry;
  private final boolean breakersEnabled;
  private final ConcurrentHashMap<String, DestinationState> states = new ConcurrentHashMap<>();
  /**
   * The destination found last: a caller usually sends runs of requests to one service, and
   * comparing its name is cheaper than hashing into the map. Written only when it changes; a
   * DestinationState's name is final, so a racy read sees it whole.
   */
  private DestinationState last;

  Destinations(InstanceSource instances, Ticker ticker, MeshTelemetry telemetry, boolean breakersEnabled) {
    this.instances = instances;
    this.ticker = ticker;
    this.telemetry = telemetry;
    this.breakersEnabled = breakersEnabled;
  }

  /** The state of {@code destination}, or null when there is none yet. */
  DestinationState get(String destination) {
    DestinationState seen = last;
    if (seen != null && seen.service.equals(destination)) {
      return seen;
    }
    DestinationState ds = states.get(destination);
    if (ds != null && ds != seen) {
      last = ds;
    }
    return ds;
  }

  /** The state of {@code destination}, created on first use. */
  DestinationState stateOf(String destination) {
    return states.computeIfAbsent(destination, d -> new DestinationState(d, ticker, telemetry, breakersEnabled));
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
}
