package io.orchestra.discovery.internal;

import io.orchestra.discovery.ClientContext;
import java.util.Map;

/**
 * The ready-to-pick state of one service (the hot cache tier): every known instance, the eligible
 * ones with their picker, and per-zone and per-region pools for geographic preference. Replaced
 * as a whole when membership, health, ejection or weights change; never modified. Readers need
 * no lock.
 */
final class Snapshot {
  final InstanceState[] all;
  final Pool global;
  final Map<String, Pool> byZone;
  final Map<String, Pool> byRegion;
  final boolean panic;
  final int healthy;
  /** Whether some member is still within its slow-start window. */
  final boolean warming;
  /** Whether there are zone or region pools at all (a final field, read instead of two maps). */
  private final boolean localities;

  Snapshot(
      InstanceState[] all,
      Pool global,
      Map<String, Pool> byZone,
      Map<String, Pool> byRegion,
      boolean panic,
      int healthy,
      boolean warming) {
    this.all = all;
    this.global = global;
    this.byZone = byZone;
    this.byRegion = byRegion;
    this.panic = panic;
    this.healthy = healthy;
    this.warming = warming;
    this.localities = !byZone.isEmpty() || !byRegion.isEmpty();
  }

  /** The pool for a caller: its zone's, else its region's, when healthy enough; else the global one. */
  Pool poolFor(ClientContext ctx) {
    if (!localities) {
      return global;
    }
    String zone = ctx.zone();
    if (zone != null) {
      Pool p = byZone.get(zone);
      if (p != null && p.preferable) {
        return p;
      }
    }
    String region = ctx.region();
    if (region != null) {
      Pool p = byRegion.get(region);
      if (p != null && p.preferable) {
        return p;
      }
    }
    return global;
  }
}
