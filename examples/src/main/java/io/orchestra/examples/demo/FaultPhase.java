package io.orchestra.examples.demo;

import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.TrafficManager;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One inventory replica starts failing (503 on every business call while its health check stays
 * green). Reads through the mesh keep succeeding: each attempt that lands on the failing replica
 * is retried on another one, until that replica's circuit breaker opens and the mesh stops
 * sending to it. Then the fault clears; after the breaker's open wait the next calls are its
 * half-open probes, they succeed, and the breaker closes again.
 */
final class FaultPhase {
  private final TrafficManager mesh;
  private final LoopbackRuntime runtime;
  private final EventTap events;
  private final Console console;
  private final Ticker ticker;

  /**
   * What happened.
   *
   * @param instance the replica that failed
   * @param requests reads sent while it failed
   * @param ok of those, answered 200
   * @param faults attempts the failing replica answered 503 (each one retried elsewhere)
   * @param transitions its breaker's transitions, in order ({@code CLOSED->OPEN}, ...)
   * @param recoverySeconds from clearing the fault to the breaker closing, NaN if it did not
   */
  record Result(String instance, int requests, int ok, int faults, List<String> transitions, double recoverySeconds) {
    boolean opened() {
      return transitions.contains("CLOSED->OPEN");
    }

    boolean closedAgain() {
      return transitions.contains("HALF_OPEN->CLOSED");
    }
  }

  FaultPhase(TrafficManager mesh, LoopbackRuntime runtime, EventTap events, Console console, Ticker ticker) {
    this.mesh = mesh;
    this.runtime = runtime;
    this.events = events;
    this.console = console;
    this.ticker = ticker;
  }

  Result run(int requests) {
    ReplicaServer victim =
        runtime.replicasOf("inventory").stream().min(Comparator.comparing(ReplicaServer::instanceId)).orElseThrow();
    String id = victim.instanceId();
    console.phase("retries", "%s starts answering 503 (its /health stays green); %d stock reads through the mesh", id, requests);
    victim.failing(true);
    int ok = 0;
    for (int i = 0; i < requests; i++) {
      if (read(i).status() == 200) {
        ok++;
      }
    }
    int faults = victim.faults();
    console.detail("%d/%d answered 200: %d attempts hit %s, got 503 and were retried on another replica", ok, requests, faults, id);
    console.detail("breaker of %s: %s; while open the mesh sends it nothing", id, String.join(", ", transitions(id)));

    victim.failing(false);
    long cleared = ticker.read();
    // Light traffic after the fault clears: once the open wait is over, these calls are the probes.
    long deadline = cleared + Duration.ofSeconds(10).toNanos();
    int i = 0;
    while (!transitions(id).contains("HALF_OPEN->CLOSED") && ticker.read() - deadline < 0) {
      read(i++);
      LockSupport.parkNanos(50_000_000L);
    }
    List<String> all = transitions(id);
    double recovery = all.contains("HALF_OPEN->CLOSED") ? (ticker.read() - cleared) / 1e9 : Double.NaN;
    console.detail("fault cleared; probes succeeded after the open wait: %s (%.1f s after the fix)", String.join(", ", all), recovery);
    return new Result(id, requests, ok, faults, all, recovery);
  }

  private Calls.Answer read(int i) {
    return Calls.await(mesh.route(Request.get("/stock/sku-" + (1 + i % 5)), "inventory"));
  }

  private List<String> transitions(String instanceId) {
    return events.breakerTransitions(instanceId).stream().map(FaultPhase::arrow).toList();
  }

  private static String arrow(TelemetryEvent e) {
    return e.attributes().get("from") + "->" + e.attributes().get("to");
  }
}
