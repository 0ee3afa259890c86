package io.orchestra.examples.demo;

import io.orchestra.examples.demo.DemoResult.Check;
import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import io.orchestra.observability.dashboard.TopIssue;
import io.orchestra.observability.traces.DependencyEdge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the run's dashboards: {@code dashboard.json} (the engine's {@code
 * ServiceHealthDashboard} documents as they are, the dependency graph and the story's checks)
 * and {@code dashboard.html}, a self-contained page with the same content for a person.
 */
final class DashboardFiles {
  private DashboardFiles() {}

  /** The two files written. */
  record Written(Path json, Path html) {}

  static Written write(Path dir, Instant generatedAt, Report.Result report, List<Check> checks) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("generatedAt", generatedAt.toString());
    doc.put("checks", checks);
    doc.put("dependencies", report.dependencies());
    doc.put("services", report.dashboards());
    Path json = dir.resolve("dashboard.json");
    Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc), StandardCharsets.UTF_8);
    Path html = dir.resolve("dashboard.html");
    Files.writeString(html, html(generatedAt, report, checks), StandardCharsets.UTF_8);
    return new Written(json, html);
  }

  private static String html(Instant generatedAt, Report.Result report, List<Check> checks) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Orchestra demo dashboard</title>\n")
        .append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child,.l{text-align:left}")
        .append("th{background:#f3f3f3}.ok{color:#176f2c}.bad{color:#b3261e}.bar{background:#4a7fd4;height:.8em;display:inline-block}")
        .append("</style></head><body>\n<h1>Orchestra demo: service health</h1>\n<p>Generated ")
        .append(esc(generatedAt.toString())).append(" by the observability engine from what the other engines reported.</p>\n");
    b.append("<table><tr><th>service</th><th>requests</th><th>rate/s</th><th>errors</th><th>error %</th><th>p50 ms</th>")
        .append("<th>p95 ms</th><th>p99 ms</th><th>health</th><th class=\"l\">top issue</th></tr>\n");
    for (ServiceHealthDashboard d : report.dashboards()) {
      Kpis k = d.kpis();
      b.append("<tr><td>").append(esc(d.serviceName())).append("</td><td>").append(k.requestCount())
          .append("</td><td>").append(num(k.requestRatePerSecond())).append("</td><td>").append(k.errorCount())
          .append("</td><td>").append(num(100 * k.errorRate())).append("</td><td>").append(Report.ms(k.latencyP50Millis()))
          .append("</td><td>").append(Report.ms(k.latencyP95Millis())).append("</td><td>").append(Report.ms(k.latencyP99Millis()))
          .append("</td><td><span class=\"bar\" style=\"width:").append(Math.round(60 * d.healthScore())).append("px\"></span> ")
          .append(num(d.healthScore())).append("</td><td class=\"l\">").append(esc(Report.topIssue(d))).append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Dependency graph</h2>\n<table><tr><th>caller</th><th class=\"l\">callee</th><th>calls</th><th>errors</th>")
        .append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>\n");
    for (DependencyEdge e : report.dependencies()) {
      b.append("<tr><td>").append(esc(e.caller())).append("</td><td class=\"l\">").append(esc(e.callee())).append("</td><td>")
          .append(e.calls()).append("</td><td>").append(e.errors()).append("</td><td>").append(Report.ms(e.p50Millis()))
          .append("</td><td>").append(Report.ms(e.p95Millis())).append("</td><td>").append(Report.ms(e.p99Millis())).append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Top issues</h2>\n<ul>\n");
    for (ServiceHealthDashboard d : report.dashboards()) {
      for (TopIssue t : d.topIssues()) {
        b.append("<li><b>").append(esc(d.serviceName())).append("</b> ").append(esc(t.kind())).append(": ")
            .append(esc(t.description())).append(" (").append(t.count()).append("x, ").append(t.severity()).append(")</li>\n");
      }
    }
    b.append("</ul>\n<h2>What the run showed</h2>\n<ul>\n");
    for (Check c : checks) {
      b.append("<li class=\"").append(c.passed() ? "ok" : "bad").append("\">").append(c.passed() ? "&#10003; " : "&#10007; ")
          .append(esc(c.name())).append(": ").append(esc(c.evidence())).append("</li>\n");
    }
    return b.append("</ul>\n<p>The same data as JSON: <a href=\"dashboard.json\">dashboard.json</a>.</p>\n</body></html>\n").toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
