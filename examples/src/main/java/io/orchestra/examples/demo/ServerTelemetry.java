package io.orchestra.examples.demo;

import io.orchestra.core.telemetry.TelemetrySink.Span;
import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import io.orchestra.examples.demo.ServiceLogic.Reply;
import io.orchestra.observability.ObservabilityEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo services report about themselves, as an instrumented service would: a {@code
 * SERVER} span per traced request (a child of the mesh attempt whose {@code traceparent} arrived,
 * so the observability engine can draw the dependency graph from real propagation), and their log
 * lines, shipped to the engine with the trace id. Thread-safe.
 */
final class ServerTelemetry {
  private final ObservabilityEngine engine;
  private final Clock clock;
  private final RandomSource random;

  ServerTelemetry(ObservabilityEngine engine, Clock clock, RandomSource random) {
    this.engine = engine;
    this.clock = clock;
    this.random = random;
  }

  /** Now, in nanoseconds since the epoch (span timestamps). */
  long epochNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Records one served request that arrived with {@code traceparent} (nothing when it is absent
   * or invalid: health checks and direct calls are not traced).
   */
  void served(ReplicaServer replica, String method, String path, String traceparent, long startNanos, Reply reply) {
    TraceContext caller = traceparent == null ? null : W3CTraceContext.parseTraceparent(traceparent);
    if (caller == null) {
      log(replica, null, reply);
      return;
    }
    TraceContext own = caller.newChild(random);
    String root = path.indexOf('/', 1) < 0 ? path : path.substring(0, path.indexOf('/', 1));
    Span span =
        engine
            .startSpan(method + " " + root, SpanKind.SERVER, own, caller.spanId(), startNanos)
            .attribute("service.name", replica.service())
            .attribute("instance.id", replica.instanceId())
            .attribute("service.version", replica.version())
            .attribute("http.status_code", reply.status());
    if (reply.status() >= 500) {
      span.error("HTTP " + reply.status());
    }
    span.end(epochNanos());
    log(replica, own, reply);
  }

  private void log(ReplicaServer replica, TraceContext context, Reply reply) {
    if (reply.log() == null) {
      return;
    }
    int space = reply.log().indexOf(' ');
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", reply.log().substring(0, space));
    line.put("message", reply.log().substring(space + 1));
    line.put("instance", replica.instanceId());
    if (context != null) {
      line.put("trace_id", context.traceIdHex());
      line.put("span_id", context.spanIdHex());
    }
    engine.processServiceLogs(replica.service(), List.of(Json.write(line)));
  }
}
