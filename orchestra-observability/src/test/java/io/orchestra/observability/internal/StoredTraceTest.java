package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.traces.SpanData;
import org.junit.jupiter.api.Test;

class StoredTraceTest {

  @Test
  void findsDuplicateSpanIdsBeforeAndAfterItSwitchesToAnIdSet() {
    StoredTrace t = new StoredTrace("0af7651916cd43dd8448eb211c80319c");
    for (int i = 0; i < 40; i++) {
      assertThat(t.containsSpan(id(i))).isFalse();
      t.add(SpanData.builder(t.traceId, id(i)).time(1, 2).build(), 10);
      for (int j = 0; j <= i; j++) {
        assertThat(t.containsSpan(id(j))).isTrue();
      }
      assertThat(t.containsSpan(id(i + 1))).isFalse();
    }
  }

  @Test
  void theAnalysisIsCachedUntilASpanArrives() {
    StoredTrace t = new StoredTrace("0af7651916cd43dd8448eb211c80319c");
    t.add(SpanData.builder(t.traceId, id(0)).time(1, 2).build(), 10);
    TraceAnalysis first = t.analysis();
    assertThat(t.analysis()).isSameAs(first);
    t.add(SpanData.builder(t.traceId, id(1)).parent(id(0)).time(1, 2).build(), 10);
    assertThat(t.analysis()).isNotSameAs(first);
    assertThat(t.analysis().metrics().spanCount()).isEqualTo(2);
  }

  private static String id(int i) {
    return String.format("%016x", i + 1);
  }
}
