package io.orchestra.observability.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestra.observability.BadInputReport;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counts of refused or repaired input, mirrored to Micrometer when a registry is given.
 *
 * <p>Counting a {@code kind.reason} seen before allocates nothing: the cell is found by kind, then
 * by reason (two lock-free lookups on strings whose hashes are cached), and holds both the count
 * and its Micrometer counter; the {@code kind.reason} key is only built for {@link #snapshot()}.
 * Only the first occurrence of a pair creates its cell (and registers its meter).
 */
public final class BadInputCounters {
  private static final String METER = "orchestra.observability.bad.input";

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Cell>> byKind = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  private static final class Cell {
    final LongAdder count = new LongAdder();
    final Counter meter; // null without a registry

    Cell(Counter meter) {
      this.meter = meter;
    }
  }

  /** Counters publishing to {@code registry}, or only kept locally when it is null. */
  public BadInputCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one occurrence of {@code kind.reason}. */
  public void count(String kind, String reason) {
    add(kind, reason, 1);
  }

  /** Counts {@code n} occurrences of {@code kind.reason}. */
  public void add(String kind, String reason, long n) {
    if (n <= 0) {
      return;
    }
    Cell c = cell(kind, reason);
    c.count.add(n);
    if (c.meter != null) {
      c.meter.increment(n);
    }
  }

  /** A snapshot. */
  public BadInputReport snapshot() {
    Map<String, Long> m = new HashMap<>();
    // Merged, not put: "a.b"/"c" and "a"/"b.c" share one key, as when the key was the map's.
    byKind.forEach((kind, reasons) -> reasons.forEach((reason, c) -> m.merge(kind + "." + reason, c.count.sum(), Long::sum)));
    return new BadInputReport(m);
  }

  private Cell cell(String kind, String reason) {
    ConcurrentHashMap<String, Cell> reasons = byKind.get(kind);
    if (reasons != null) {
      Cell c = reasons.get(reason);
      if (c != null) {
        return c; // the steady state: no allocation, no lock
      }
    }
    return byKind
        .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(reason, r -> new Cell(registry == null ? null : meter(kind, r)));
  }

  private Counter meter(String kind, String reason) {
    return Counter.builder(METER)
        .description("Input the observability engine refused or repaired")
        .tag("kind", kind)
        .tag("reason", reason)
        .register(registry);
  }
}
