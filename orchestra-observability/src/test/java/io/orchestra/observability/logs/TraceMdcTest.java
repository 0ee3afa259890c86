package io.orchestra.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceMdcTest {

  @Test
  void scopesSetAndRestoreTheMdcAndTheLinesCorrelateWithTheTrace() throws Exception {
    TraceContext outer = TraceContext.newRoot(RandomSource.seeded(1), true);
    TraceContext inner = outer.newChild(RandomSource.seeded(2));
    MDC.clear();
    try (TraceMdc.Scope a = TraceMdc.put(outer)) {
      assertThat(MDC.get("trace_id")).isEqualTo(outer.traceIdHex());
      try (TraceMdc.Scope b = TraceMdc.put(inner)) {
        assertThat(TraceMdc.currentSpanId()).isEqualTo(inner.spanIdHex());
        assertThat(MDC.get("trace_flags")).isEqualTo("01");
      }
      assertThat(TraceMdc.currentSpanId()).isEqualTo(outer.spanIdHex());
    }
    assertThat(MDC.get("trace_id")).isNull();

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      String seen = CompletableFuture.supplyAsync(() -> null, other)
          .thenCompose(x -> CompletableFuture.runAsync(TraceMdc.wrap(inner, () -> MDC.put("seen", TraceMdc.currentTraceId())), other))
          .thenApplyAsync(x -> MDC.get("seen") + "|" + MDC.get("trace_id"), other).get();
      assertThat(seen).isEqualTo(inner.traceIdHex() + "|null");
    } finally {
      other.shutdownNow();
    }

    // A line written with the MDC keys (as a JSON layout would) correlates by trace id.
    String line;
    try (TraceMdc.Scope s = TraceMdc.put(inner)) {
      line = "{\"level\":\"info\",\"msg\":\"charging\",\"trace_id\":\"" + MDC.get(TraceMdc.TRACE_ID) + "\",\"span_id\":\"" + MDC.get(TraceMdc.SPAN_ID) + "\"}";
    }
    try (ObservabilityEngine engine = ObservabilityEngine.builder().build()) {
      engine.processServiceLogs("payments", List.of(line));
      assertThat(engine.logsForTrace(inner.traceIdHex())).singleElement()
          .satisfies(r -> assertThat(r.spanId()).isEqualTo(inner.spanIdHex()));
    }
  }
}
