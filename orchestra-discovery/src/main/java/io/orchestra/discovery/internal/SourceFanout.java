package io.orchestra.discovery.internal;

import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.time.Timeouts;
import io.orchestra.discovery.DiscoverySource;
import io.orchestra.discovery.Registration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Queries every source of a service at once, each within the configured timeout, and merges the
 * answers in source order (registry, then mesh, then DNS): an instance is dropped when an earlier
 * answer already had the same id or the same {@code host:port}. A source that throws, fails or
 * times out is counted and skipped; the merge fails only when no source answered.
 *
 * <p>Thread-safe.
 */
final class SourceFanout {
  private final List<DiscoverySource> sources;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Clock clock;
  private final TelemetrySink telemetry;
  private final long timeoutNanos;
  private final Map<String, TelemetrySink.Timer> latencies = new ConcurrentHashMap<>();
  private final Map<String, TelemetrySink.Counter> failures = new ConcurrentHashMap<>();

  SourceFanout(
      List<DiscoverySource> sources,
      Scheduler scheduler,
      Ticker ticker,
      Clock clock,
      TelemetrySink telemetry,
      long timeoutNanos) {
    this.sources = List.copyOf(sources);
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.clock = clock;
    this.telemetry = telemetry;
    this.timeoutNanos = timeoutNanos;
  }

  List<DiscoverySource> sources() {
    return sources;
  }

  /** The merged answer of every source, or null (in the stage) when none answered. */
  CompletableFuture<List<Registration>> fetch(String service, ServiceMetrics metrics) {
    int n = sources.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(null);
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<List<Registration>>[] answers = new CompletableFuture[n];
    for (int i = 0; i < n; i++) {
      answers[i] = ask(sources.get(i), service, metrics);
    }
    return CompletableFuture.allOf(answers)
        .thenApply(
            ignored -> {
              List<List<Registration>> lists = new ArrayList<>(n);
              for (CompletableFuture<List<Registration>> a : answers) {
                lists.add(a.join());
              }
              return merge(lists);
            });
  }

  /** Merges answers in order; null entries are sources that did not answer. Null if all are null. */
  static List<Registration> merge(List<List<Registration>> answers) {
    boolean any = false;
    Set<String> ids = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    List<Registration> merged = new ArrayList<>();
    for (List<Registration> answer : answers) {
      if (answer == null) {
        continue;
      }
      any = true;
      for (Registration r : answer) {
        if (r == null) {
          continue;
        }
        String address = r.instance().address();
        if (ids.contains(r.id()) || addresses.contains(address)) {
          continue;
        }
        ids.add(r.id());
        addresses.add(address);
        merged.add(r);
      }
    }
    return any ? merged : null;
  }

  /** One source's answer: its list, or null when it failed or timed out (never exceptional). */
  private CompletableFuture<List<Registration>> ask(
      DiscoverySource source, String service, ServiceMetrics metrics) {
    long start = ticker.read();
    CompletionStage<List<Registration>> stage;
    try {
      stage = source.fetch(service);
      if (stage == null) {
        stage = CompletableFuture.failedFuture(new IllegalStateException("fetch returned null"));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    String key = service + '\u0000' + source.name();
    return Timeouts.within(
            stage,
            timeoutNanos,
            scheduler,
            () -> new TimeoutException(source.name() + " did not answer within " + timeoutNanos / 1_000_000 + " ms"))
        .handle(
            (list, error) -> {
              latencies
                  .computeIfAbsent(key, k -> metrics.sourceLatency(source.name()))
                  .record(ticker.read() - start);
              if (error == null && list != null) {
                return list;
              }
              failures.computeIfAbsent(key, k -> metrics.sourceFailures(source.name())).increment();
              Throwable cause = error == null ? new IllegalStateException("null answer") : error;
              telemetry.event(
                  new TelemetryEvent(
                      "discovery.source_failure",
                      "orchestra-discovery",
                      clock.millis(),
                      Map.of(
                          "service", service,
                          "source", source.name(),
                          "error", String.valueOf(io.orchestra.core.transport.CallOutcome.unwrap(cause)))));
              return null;
            });
  }
}
