package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.logs.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The log store against a model: a bounded list in arrival order that evicts its oldest arrival
 * when full and, on a purge, loses every record older than the cutoff, whatever order the
 * timestamps arrived in. Queries by time and by trace see exactly the model's records.
 */
class LogStoreProperties {

  private static LogRecord log(long ts, int trace) {
    return new LogRecord(ts, "orders", LogLevel.INFO, "m" + ts, "t" + trace, null, Map.of(), LogFormat.JSON, false, false);
  }

  /** {@code op} 0-6 adds a record at {@code values[i]}, 7 purges before {@code values[i]}. */
  @Property(tries = 1000)
  void matchesAModelThatPurgesEveryRecordOlderThanTheCutoff(
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 7) Integer> ops,
      @ForAll @Size(min = 80, max = 80) List<@IntRange(min = 0, max = 100) Integer> values,
      @ForAll @IntRange(min = 1, max = 12) int capacity) {
    LogStore store = new LogStore(capacity);
    Deque<LogRecord> model = new ArrayDeque<>();
    for (int i = 0; i < ops.size(); i++) {
      long v = values.get(i);
      if (ops.get(i) == 7) {
        int before = model.size();
        model.removeIf(r -> r.timestampEpochMillis() < v);
        assertThat(store.purgeBefore(v)).as("step %d: purged", i).isEqualTo(before - model.size());
      } else {
        LogRecord r = log(v, i % 3);
        if (model.size() == capacity) {
          model.removeFirst();
        }
        model.addLast(r);
        store.add(r);
      }
      List<LogRecord> held = new ArrayList<>();
      store.forEach(Long.MIN_VALUE, Long.MAX_VALUE, held::add);
      assertThat(held).as("step %d: held, oldest arrival first", i).containsExactlyElementsOf(model);
      for (int t = 0; t < 3; t++) {
        String trace = "t" + t;
        assertThat(store.byTrace(trace)).as("step %d: %s", i, trace)
            .containsExactlyElementsOf(model.stream().filter(r -> r.traceId().equals(trace)).toList());
      }
    }
  }

  @Example
  void aRecordThatArrivedAfterANewerOne_isPurgedWithItsTime() {
    LogStore store = new LogStore(8);
    store.add(log(200, 0));
    store.add(log(50, 1)); // a late arrival from a host with a slow clock
    store.add(log(300, 0));
    assertThat(store.purgeBefore(120)).isEqualTo(1);
    assertThat(store.byTrace("t1")).isEmpty();
    assertThat(store.size()).isEqualTo(2);
  }
}
