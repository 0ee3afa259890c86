package io.orchestra.observability.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestra.observability.BadInputReport;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counts of refused or repaired input, mirrored to Micrometer when a registry is given. */
public final class BadInputCounters {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> meters = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

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
    String key = kind + "." + reason;
    counts.computeIfAbsent(key, k -> new LongAdder()).add(n);
    if (registry != null) {
      meters
          .computeIfAbsent(
              key,
              k -> Counter.builder("orchestra.observability.bad.input")
                  .description("Input the observability engine refused or repaired")
                  .tag("kind", kind)
                  .tag("reason", reason)
                  .register(registry))
          .increment(n);
    }
  }

  /** A snapshot. */
  public BadInputReport snapshot() {
    Map<String, Long> m = new HashMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return new BadInputReport(m);
  }
}
