package io.orchestra.observability;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.SpanData;
import java.util.Map;

/** Test helpers for building spans with millisecond offsets from a base time. */
final class Spans {
  static final long BASE = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z in nanos

  private Spans() {}

  static SpanData span(String trace, String id, String parent, String service, String op, long startMs, long endMs, boolean error) {
    SpanData.Builder b = SpanData.builder(trace, id).parent(parent).service(service).operation(op)
        .kind(SpanKind.SERVER).time(BASE + startMs * 1_000_000, BASE + endMs * 1_000_000);
    if (error) {
      b.error("failed: 500");
    }
    return b.build();
  }

  static SpanData client(String trace, String id, String parent, String service, String peer, long startMs, long endMs, boolean error) {
    SpanData.Builder b = SpanData.builder(trace, id).parent(parent).service(service).operation("call " + peer)
        .kind(SpanKind.CLIENT).time(BASE + startMs * 1_000_000, BASE + endMs * 1_000_000)
        .attributes(Map.of("peer.service", peer));
    if (error) {
      b.error("downstream failed");
    }
    return b.build();
  }

  static String id16(int n) {
    return String.format("%016x", n + 1);
  }

  static String trace(int n) {
    return String.format("%016x%016x", 0xabcdefL + n, 0x1234567L * (n + 1));
  }
}
