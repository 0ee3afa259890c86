package io.orchestra.benchmarks.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.ClientContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's discovery hot path, written literally as a baseline: on every call, score every
 * instance (health, performance, proximity, load from per-instance metric maps), sort by score,
 * filter open circuit breakers, pick, and update usage statistics. Not thread-safe (one
 * benchmark thread).
 */
final class SeedScoreAndSort {
  private record Health(boolean healthy, int consecutiveSuccesses, int consecutiveFailures, double errorRate) {}

  private record Performance(double averageLatency, double requestsPerSecond, double latencyStdDev) {}

  private record Scored(ServiceInstance instance, double score, long lastScored) {}

  private final List<ServiceInstance> instances;
  private final Map<String, Health> health = new HashMap<>();
  private final Map<String, Performance> performance = new HashMap<>();
  private final Map<String, Boolean> breakerOpen = new HashMap<>();
  private final Map<String, Integer> usage = new HashMap<>();
  private int next;

  SeedScoreAndSort(List<ServiceInstance> instances) {
    this.instances = instances;
    for (int i = 0; i < instances.size(); i++) {
      String id = instances.get(i).id();
      health.put(id, new Health(true, i % 20, i % 7 == 0 ? 1 : 0, (i % 10) / 100.0));
      performance.put(id, new Performance(50 + i % 100, 200 + i % 900, 5 + i % 30));
      breakerOpen.put(id, false);
      usage.put(id, 0);
    }
  }

  ServiceInstance discover(ClientContext ctx, long now) {
    List<Scored> scored = new ArrayList<>(instances.size());
    for (ServiceInstance i : instances) {
      scored.add(new Scored(i, score(i, ctx), now));
    }
    scored.sort((a, b) -> Double.compare(b.score, a.score));
    List<Scored> available = new ArrayList<>();
    for (Scored s : scored) {
      if (!breakerOpen.get(s.instance.id())) {
        available.add(s);
      }
    }
    Scored selected =
        available.isEmpty() ? scored.get(0) : available.get(Math.floorMod(next++, available.size()));
    usage.merge(selected.instance.id(), 1, Integer::sum);
    return selected.instance;
  }

  private double score(ServiceInstance i, ClientContext ctx) {
    double score = 0;
    score += healthScore(i) * 0.4;
    score += performanceScore(i) * 0.3;
    score += proximityScore(i, ctx) * 0.2;
    score += loadScore(i) * 0.1;
    return Math.min(1, Math.max(0, score));
  }

  private double healthScore(ServiceInstance i) {
    Health h = health.get(i.id());
    if (h == null) {
      return 0.5;
    }
    double base = h.healthy ? 1.0 : 0.0;
    if (h.consecutiveSuccesses > 10) {
      base = Math.min(1.0, base + 0.1);
    }
    if (h.consecutiveFailures > 0) {
      base = Math.max(0.0, base - h.consecutiveFailures * 0.2);
    }
    return Math.max(0.0, base - h.errorRate);
  }

  private double performanceScore(ServiceInstance i) {
    Performance p = performance.get(i.id());
    if (p == null) {
      return 0.5;
    }
    double latency = 1.0;
    if (p.averageLatency > 100) {
      latency = Math.max(0.1, 1.0 - (p.averageLatency - 100) / 100);
    }
    double throughput = Math.min(1.0, p.requestsPerSecond / 1000);
    double consistency = Math.max(0.0, Math.min(1.0, 1.0 - p.latencyStdDev / p.averageLatency));
    return latency * 0.5 + throughput * 0.3 + consistency * 0.2;
  }

  private static double proximityScore(ServiceInstance i, ClientContext ctx) {
    if (ctx.zone() != null && ctx.zone().equals(i.zone())) {
      return 1.0;
    }
    return ctx.region() != null && ctx.region().equals(i.region()) ? 0.5 : 0.0;
  }

  private double loadScore(ServiceInstance i) {
    return 1.0 / (1 + usage.get(i.id()) % 10);
  }
}
