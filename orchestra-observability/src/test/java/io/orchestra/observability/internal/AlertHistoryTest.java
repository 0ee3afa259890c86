package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.Severity;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertState;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AlertHistoryTest {

  private static Alert resolvedAt(long t) {
    return new Alert("r", "s", Severity.WARNING, "m", "c", AlertState.RESOLVED, 1, 0, 0, t, Map.of(), AlertEvidence.NONE);
  }

  @Property
  void matchesAReferenceModel(
      @ForAll @IntRange(min = 1, max = 8) int limit,
      @ForAll @Size(max = 200) List<@IntRange(min = -3, max = 10) Integer> ops) {
    // A non-negative op resolves an alert a step after the previous one; a negative one purges
    // what resolved more than -op steps ago.
    BadInputCounters bad = new BadInputCounters(null);
    AlertHistory history = new AlertHistory(limit, bad);
    ArrayDeque<Alert> model = new ArrayDeque<>();
    long now = 0;
    long overflow = 0;
    for (int op : ops) {
      if (op >= 0) {
        Alert a = resolvedAt(++now);
        history.add(a);
        model.addLast(a);
        if (model.size() > limit) {
          model.pollFirst();
          overflow++;
        }
      } else {
        long cutoff = now + op;
        history.purgeBefore(cutoff);
        model.removeIf(a -> a.resolvedAtEpochMillis() < cutoff);
      }
      assertThat(history.size()).isLessThanOrEqualTo(limit);
    }
    assertThat(history.snapshot()).containsExactlyElementsOf(model);
    assertThat(bad.snapshot().count("alert", "history_overflow")).isEqualTo(overflow);
  }
}
