package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.Severity;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertState;
import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.logs.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AlertHistoryTest {

  private static Alert resolvedAt(long t) {
    return resolvedAt(t, List.of());
  }

  /** Resolved at {@code t}, with one evidence log line of each length. */
  private static Alert resolvedAt(long t, List<Integer> lineLengths) {
    List<LogRecord> lines = new ArrayList<>();
    for (int i = 0; i < lineLengths.size(); i++) {
      lines.add(line(t + "-" + i, lineLengths.get(i)));
    }
    return new Alert("r", "s", Severity.WARNING, "m", "c", AlertState.RESOLVED, 1, 0, 0, t, Map.of(),
        new AlertEvidence(List.of(), lines, List.of()));
  }

  /** A line whose message is {@code tag} padded to {@code length} chars (at least the tag). */
  private static LogRecord line(String tag, int length) {
    String message = tag + "x".repeat(Math.max(0, length - tag.length()));
    return new LogRecord(0, "s", LogLevel.ERROR, message, null, null, Map.of(), LogFormat.TEXT, true, false);
  }

  @Property
  void matchesAReferenceModel(
      @ForAll @IntRange(min = 1, max = 8) int limit,
      @ForAll @Size(max = 200) List<@IntRange(min = -3, max = 10) Integer> ops) {
    // A non-negative op resolves an alert a step after the previous one; a negative one purges
    // what resolved more than -op steps ago.
    BadInputCounters bad = new BadInputCounters(null);
    AlertHistory history = new AlertHistory(limit, Long.MAX_VALUE, bad);
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

  /** One step: resolve an alert with evidence lines of these lengths, or (null) purge. */
  record Op(List<Integer> lineLengths, int purgeSteps) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> add = Arbitraries.integers().between(0, 3_000).list().ofMaxSize(6).map(l -> new Op(l, 0));
    Arbitrary<Op> purge = Arbitraries.integers().between(0, 6).map(k -> new Op(null, k));
    return Arbitraries.frequencyOf(Tuple.of(8, add), Tuple.of(1, purge)).list().ofMaxSize(80);
  }

  @Property
  void theByteBoundEvictsTheOldestFirstAndHoldsAtMostTheBudget(
      @ForAll @IntRange(min = 1, max = 8) int limit,
      @ForAll @LongRange(min = 1, max = 40_000) long maxBytes,
      @ForAll("ops") List<Op> ops) {
    BadInputCounters bad = new BadInputCounters(null);
    AlertHistory history = new AlertHistory(limit, maxBytes, bad);
    List<Long> added = new ArrayList<>(); // resolution times, oldest first
    ArrayDeque<long[]> model = new ArrayDeque<>(); // {resolved at, estimate}, oldest first
    long now = 0;
    long evictions = 0;
    long trims = 0;
    for (Op op : ops) {
      if (op.lineLengths() == null) {
        long cutoff = now - op.purgeSteps();
        int before = history.size();
        history.purgeBefore(cutoff);
        model.removeIf(m -> m[0] < cutoff);
        assertThat(history.snapshot()).allSatisfy(a -> assertThat(a.resolvedAtEpochMillis()).isGreaterThanOrEqualTo(cutoff));
        assertThat(bad.snapshot().count("alert", "history_overflow")).isEqualTo(evictions); // ageing out is not overflow
        assertThat(history.size()).isLessThanOrEqualTo(before);
      } else {
        Alert a = resolvedAt(++now, op.lineLengths());
        int before = history.size();
        boolean tooBig = AlertBytes.of(a) > maxBytes;
        history.add(a);
        // The model: the longest prefix of lines that fits alone, then evict oldest for room.
        long size = AlertBytes.withoutLogLines(a);
        for (LogRecord r : a.evidence().logLines()) {
          if (tooBig && size + AlertBytes.logLine(r) > maxBytes) {
            break;
          }
          size += AlertBytes.logLine(r);
        }
        long modelBytes = model.stream().mapToLong(m -> m[1]).sum();
        while (!model.isEmpty() && (model.size() >= limit || modelBytes + size > maxBytes)) {
          modelBytes -= model.pollFirst()[1];
        }
        model.addLast(new long[] {now, size});
        added.add(now);
        trims += tooBig ? 1 : 0;
        evictions += before + 1 - history.size();

        // The newest is always kept: whole when it fits the budget on its own, else with the
        // longest prefix of its lines that does (maybe none).
        List<Alert> held = history.snapshot();
        Alert newest = held.get(held.size() - 1);
        assertThat(newest.resolvedAtEpochMillis()).isEqualTo(now);
        List<LogRecord> lines = a.evidence().logLines();
        List<LogRecord> kept = newest.evidence().logLines();
        assertThat(kept).isEqualTo(lines.subList(0, kept.size()));
        assertThat(newest.evidence().omittedLogLines()).isEqualTo(lines.size() - kept.size());
        if (!tooBig) {
          assertThat(newest).isEqualTo(a);
        } else {
          long withKept = AlertBytes.withoutLogLines(a);
          for (LogRecord r : kept) {
            withKept += AlertBytes.logLine(r);
          }
          if (kept.size() < lines.size()) { // not one more line would have fitted
            assertThat(withKept + AlertBytes.logLine(lines.get(kept.size()))).isGreaterThan(maxBytes);
          }
        }
      }
      List<Alert> held = history.snapshot();
      // Bounds: count always; bytes unless a single alert's labels and ids alone exceed them.
      assertThat(held).hasSizeLessThanOrEqualTo(limit);
      long sum = held.stream().mapToLong(AlertBytes::of).sum();
      assertThat(history.bytes()).isEqualTo(sum);
      if (sum > maxBytes) {
        assertThat(held).singleElement().satisfies(x -> {
          assertThat(x.evidence().logLines()).isEmpty();
          assertThat(AlertBytes.withoutLogLines(x)).isGreaterThan(maxBytes);
        });
      }
      // Order preserved, oldest leaving first: what is held is a run of the newest resolutions.
      List<Long> times = held.stream().map(Alert::resolvedAtEpochMillis).toList();
      if (!times.isEmpty()) {
        assertThat(times).isEqualTo(added.subList(added.size() - times.size(), added.size()));
      }
      assertThat(bad.snapshot().count("alert", "history_overflow")).isEqualTo(evictions);
      assertThat(bad.snapshot().count("alert", "history_trimmed")).isEqualTo(trims);
      assertThat(times).isEqualTo(model.stream().map(m -> m[0]).toList());
    }
  }

  @Test
  void anAlertAboveTheWholeBudgetIsKeptAloneWithTheLinesThatFit() {
    BadInputCounters bad = new BadInputCounters(null);
    Alert small = resolvedAt(1);
    Alert big = resolvedAt(2, List.of(1_000, 1_000, 1_000, 1_000));
    long base = AlertBytes.withoutLogLines(big);
    long line = AlertBytes.logLine(big.evidence().logLines().get(0));
    long budget = base + 2 * line + AlertBytes.of(small) / 2; // two lines, and too little left for small
    AlertHistory history = new AlertHistory(10, budget, bad);
    history.add(small);
    history.add(big);

    assertThat(history.snapshot()).singleElement().satisfies(a -> {
      assertThat(a.resolvedAtEpochMillis()).isEqualTo(2);
      assertThat(a.evidence().logLines()).isEqualTo(big.evidence().logLines().subList(0, 2));
      assertThat(a.evidence().omittedLogLines()).isEqualTo(2);
      assertThat(a.labels()).isEqualTo(big.labels());
      assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
    });
    assertThat(history.bytes()).isEqualTo(base + 2 * line).isLessThanOrEqualTo(budget);
    assertThat(bad.snapshot().count("alert", "history_trimmed")).isEqualTo(1);
    assertThat(bad.snapshot().count("alert", "history_overflow")).isEqualTo(1); // small left for room

    // Labels and ids alone above the budget: kept, alone, without lines; never refused.
    AlertHistory tiny = new AlertHistory(10, 1, bad);
    tiny.add(small);
    tiny.add(big);
    assertThat(tiny.snapshot()).singleElement().satisfies(a -> {
      assertThat(a.resolvedAtEpochMillis()).isEqualTo(2);
      assertThat(a.evidence().logLines()).isEmpty();
      assertThat(a.evidence().omittedLogLines()).isEqualTo(4);
    });
  }

  @Test
  void theEstimateIsTwoBytesAChar_plusFixedOverheads() {
    LogRecord r = new LogRecord(0, "svc", LogLevel.ERROR, "hello", "t".repeat(32), null, Map.of("k", "vv"), LogFormat.KEY_VALUE,
        true, false);
    assertThat(AlertBytes.logLine(r)).isEqualTo(AlertBytes.LOG_RECORD
        + (AlertBytes.STRING + 6) + (AlertBytes.STRING + 10) + (AlertBytes.STRING + 64)
        + AlertBytes.ENTRY + (AlertBytes.STRING + 2) + (AlertBytes.STRING + 4));
    Alert a = new Alert("rule", "svc", Severity.WARNING, "msg", "cond", AlertState.RESOLVED, 1, 0, 0, 1, Map.of("rule", "rule"),
        new AlertEvidence(List.of("t".repeat(32)), List.of(r, r), List.of(
            new io.orchestra.observability.traces.DependencyEdge("a", "bb", 1, 1, 1, 1, 1))));
    long base = AlertBytes.ALERT + (AlertBytes.STRING + 8) + (AlertBytes.STRING + 6) + (AlertBytes.STRING + 6) + (AlertBytes.STRING + 8)
        + AlertBytes.ENTRY + (AlertBytes.STRING + 8) + (AlertBytes.STRING + 8)
        + AlertBytes.ENTRY + (AlertBytes.STRING + 64)
        + AlertBytes.EDGE + (AlertBytes.STRING + 2) + (AlertBytes.STRING + 4);
    assertThat(AlertBytes.withoutLogLines(a)).isEqualTo(base);
    assertThat(AlertBytes.of(a)).isEqualTo(base + 2 * AlertBytes.logLine(r));
  }
}
