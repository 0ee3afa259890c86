package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The open-addressing trace index finds exactly what was added and not removed, across growth and backward-shift removals. */
class TraceIndexProperties {

  @Property(tries = 500)
  void behavesAsAMapFromIdBitsToTraces(
      @ForAll @IntRange(min = 1, max = 100) int capacity, @ForAll @IntRange(min = 1, max = 1_500) int operations, @ForAll long seed) {
    Random r = new Random(seed);
    TraceIndex index = new TraceIndex(capacity);
    Map<List<Long>, StoredTrace> model = new HashMap<>();
    List<StoredTrace> held = new ArrayList<>();
    for (int op = 0; op < operations; op++) {
      // A small pool of ids so that runs form, wrap and are removed from the middle.
      long high = r.nextInt(3);
      long low = r.nextInt(2 * capacity + 3);
      List<Long> key = List.of(high, low);
      int roll = r.nextInt(10);
      if (roll < 5 && !model.containsKey(key) && model.size() < capacity) {
        StoredTrace t = new StoredTrace(String.format("%016x%016x", high, low), high, low);
        index.add(t);
        model.put(key, t);
        held.add(t);
      } else if (roll < 8 && !held.isEmpty()) {
        StoredTrace t = held.remove(r.nextInt(held.size()));
        index.remove(t);
        model.remove(List.of(t.high, t.low));
      } else {
        assertThat(index.get(high, low)).isSameAs(model.get(key));
      }
      assertThat(index.size()).isEqualTo(model.size());
    }
    for (Map.Entry<List<Long>, StoredTrace> e : model.entrySet()) {
      assertThat(index.get(e.getKey().get(0), e.getKey().get(1))).isSameAs(e.getValue());
    }
    for (long high = 0; high < 3; high++) {
      for (long low = 0; low < 2 * capacity + 3; low++) {
        assertThat(index.get(high, low)).isSameAs(model.get(List.of(high, low)));
      }
    }
  }
}
