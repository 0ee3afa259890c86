package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceStoreTest {

  @Test
  void evictedAndPurgedTracesLeaveTheWaitingListSoItNeverOutgrowsTheStore() {
    TraceStore store = new TraceStore(3);
    List<StoredTrace> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StoredTrace t = store.getOrCreate(trace(i));
      t.add(span(trace(i), i), 100);
      store.markPending(t);
      all.add(t);
      assertThat(store.pendingCount()).isLessThanOrEqualTo(3);
    }
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.evicted()).isEqualTo(7);
    assertThat(pending(store)).containsExactly(all.get(7), all.get(8), all.get(9));
    assertThat(all.subList(0, 7)).allMatch(t -> t.removed && !t.pending && t.pendingNext == null && t.pendingPrev == null);

    store.markPending(all.get(0)); // a late span for an evicted trace does not bring it back
    assertThat(store.pendingCount()).isEqualTo(3);

    store.unmarkPending(all.get(8));
    store.markPending(all.get(8)); // waits again, now last
    assertThat(pending(store)).containsExactly(all.get(7), all.get(9), all.get(8));

    assertThat(store.purgeBefore(Long.MAX_VALUE)).isEqualTo(3);
    assertThat(store.pendingCount()).isZero();
    assertThat(store.firstPending()).isNull();
  }

  @Test
  void findsTracesByTheirIdBitsOrTheirText() {
    TraceStore store = new TraceStore(100);
    StoredTrace a = store.getOrCreate("0af7651916cd43dd8448eb211c80319c");
    StoredTrace b = store.create(new StoredTrace("8000000000000000ffffffffffffffff", Long.MIN_VALUE, -1L));
    assertThat(store.get(0x0af7651916cd43ddL, 0x8448eb211c80319cL)).isSameAs(a);
    assertThat(store.getOrCreate("0af7651916cd43dd8448eb211c80319c")).isSameAs(a);
    assertThat(store.get("8000000000000000ffffffffffffffff")).isSameAs(b);
    assertThat(store.get(0x0af7651916cd43ddL, 0x8448eb211c80319dL)).isNull();
    assertThat(store.get(-1L, Long.MIN_VALUE)).as("halves swapped").isNull();
    for (long i = 1; i <= 50; i++) { // sequential ids
      store.create(new StoredTrace(String.format("%032x", i), 0, i));
    }
    for (long i = 1; i <= 50; i++) {
      assertThat(store.get(0, i).traceId).isEqualTo(String.format("%032x", i));
    }
    assertThat(store.size()).isEqualTo(52);
  }

  private static List<StoredTrace> pending(TraceStore store) {
    List<StoredTrace> out = new ArrayList<>();
    for (StoredTrace t = store.firstPending(); t != null; t = t.pendingNext) {
      out.add(t);
    }
    assertThat(out).hasSize(store.pendingCount());
    return out;
  }

  private static String trace(int i) {
    return String.format("%032x", i + 1);
  }

  private static SpanData span(String trace, int i) {
    return SpanData.builder(trace, String.format("%016x", i + 1)).service("s").operation("op").time(1_000_000, 2_000_000).build();
  }
}
