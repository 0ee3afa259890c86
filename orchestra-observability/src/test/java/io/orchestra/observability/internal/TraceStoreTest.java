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
