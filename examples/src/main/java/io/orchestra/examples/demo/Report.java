package io.orchestra.examples.demo;

import io.orchestra.observability.ObservabilityEngine;
import io.orchestra.observability.TimeWindow;
import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.dashboard.TopIssue;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end of the demo, read back from the observability engine: a health table per service
 * (request rate, errors, latency percentiles, health score, top issue), as the engine computed
 * them from the access logs, spans and logs the other engines and the services reported, and
 * the dependency graph it derived from the propagated traces.
 */
final class Report {
  private final ObservabilityEngine engine;
  private final Console console;

  /**
   * The report.
   *
   * @param dashboards one per service, in table order
   * @param dependencies the dependency graph's edges
   */
  record Result(List<ServiceHealthDashboard> dashboards, List<DependencyEdge> dependencies) {}

  Report(ObservabilityEngine engine, Console console) {
    this.engine = engine;
    this.console = console;
  }

  Result run(List<String> services, TimeWindow window) {
    engine.flush(); // drain buffered spans and harvest metrics before reading
    List<ServiceHealthDashboard> dashboards = new ArrayList<>();
    for (String s : services) {
      dashboards.add(engine.generateServiceHealthDashboard(s, window));
    }
    List<DependencyEdge> edges = engine.dependencyGraph(window);
    console.phase("observability", "service health over the run (%.1f s), from the observability engine", window.duration().toMillis() / 1e3);
    console.raw(String.format(Locale.ROOT, "  %-10s %8s %7s %6s %6s %7s %7s %7s %6s  %s",
        "service", "requests", "rate/s", "errors", "err%", "p50 ms", "p95 ms", "p99 ms", "health", "top issue"));
    for (ServiceHealthDashboard d : dashboards) {
      Kpis k = d.kpis();
      console.raw(String.format(Locale.ROOT, "  %-10s %8d %7.1f %6d %6.1f %7s %7s %7s %6.2f  %s",
          d.serviceName(), k.requestCount(), k.requestRatePerSecond(), k.errorCount(), 100 * k.errorRate(),
          ms(k.latencyP50Millis()), ms(k.latencyP95Millis()), ms(k.latencyP99Millis()), d.healthScore(), topIssue(d)));
    }
    console.raw("  dependency graph (from propagated trace context; latency = the callee's server span):");
    for (DependencyEdge e : edges) {
      console.raw(String.format(Locale.ROOT, "    %-9s -> %-10s calls %5d  errors %4d  p50 %s ms  p95 %s ms  p99 %s ms",
          e.caller(), e.callee(), e.calls(), e.errors(), ms(e.p50Millis()), ms(e.p95Millis()), ms(e.p99Millis())));
    }
    return new Result(dashboards, edges);
  }

  /** The dashboard's first top issue, "-" when there is none. */
  static String topIssue(ServiceHealthDashboard d) {
    if (d.topIssues().isEmpty()) {
      return "-";
    }
    TopIssue t = d.topIssues().get(0);
    return t.kind() + ": " + t.description() + " (" + t.count() + "x)";
  }

  static String ms(double millis) {
    return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
  }
}
