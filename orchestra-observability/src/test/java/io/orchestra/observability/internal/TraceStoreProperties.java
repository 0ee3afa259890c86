package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The store's open-addressing index and arrival order behave as an insertion-ordered map bounded at its capacity. */
class TraceStoreProperties {

  @Property(tries = 300)
  void behavesAsABoundedInsertionOrderedMap(
      @ForAll @IntRange(min = 1, max = 300) int capacity, @ForAll @IntRange(min = 1, max = 2_000) int operations, @ForAll long seed) {
    Random r = new Random(seed);
    TraceStore store = new TraceStore(capacity);
    LinkedHashMap<List<Long>, StoredTrace> model = new LinkedHashMap<>();
    long evicted = 0;
    // Few distinct ids, some sequential and some sharing halves, so probes collide and repeat.
    long[] highs = {0, 1, -1, r.nextLong()};
    for (int op = 0; op < operations; op++) {
      long high = highs[r.nextInt(highs.length)];
      long low = r.nextInt(4) == 0 ? r.nextLong() : 1 + r.nextInt(3 * capacity + 5);
      List<Long> key = List.of(high, low);
      int roll = r.nextInt(100);
      if (roll < 60) {
        StoredTrace t = store.get(high, low);
        assertThat(t).isSameAs(model.get(key));
        if (t == null) {
          StoredTrace created = store.create(new StoredTrace(String.format("%016x%016x", high, low), high, low));
          long end = r.nextInt(1_000) * 1_000_000L;
          created.add(SpanData.builder(created.traceId, "00f067aa0ba902b7").time(end / 2, end).build(), 10);
          model.put(key, created);
          if (model.size() > capacity) {
            Iterator<StoredTrace> it = model.values().iterator();
            assertThat(it.next().removed).isTrue();
            it.remove();
            evicted++;
          }
        }
      } else if (roll < 63) {
        long cutoff = r.nextInt(1_000);
        int expected = 0;
        for (Iterator<StoredTrace> it = model.values().iterator(); it.hasNext(); ) {
          if (it.next().endEpochMillis < cutoff) {
            it.remove();
            expected++;
          }
        }
        assertThat(store.purgeBefore(cutoff)).isEqualTo(expected);
      } else {
        assertThat(store.get(high, low)).isSameAs(model.get(key));
      }
      assertThat(store.size()).isEqualTo(model.size());
    }
    assertThat(store.evicted()).isEqualTo(evicted);
    for (Map.Entry<List<Long>, StoredTrace> e : model.entrySet()) {
      assertThat(store.get(e.getKey().get(0), e.getKey().get(1))).isSameAs(e.getValue());
      assertThat(store.get(e.getValue().traceId)).isSameAs(e.getValue());
    }
    List<StoredTrace> visited = new ArrayList<>();
    store.forEach(Long.MIN_VALUE, Long.MAX_VALUE, visited::add);
    assertThat(visited).containsExactlyElementsOf(model.values());
  }
}
