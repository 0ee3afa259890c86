package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.observability.metrics.MetricType;
import java.time.Clock;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Metric handles for the {@code TelemetrySink} port. A handle resolves its series once (through
 * the cardinality guard) and then records into the series' lock-free live cell: a counter
 * increment is one {@code DoubleAdder.add} and two volatile reads of the series' phase (before and
 * after the write), allocation-free. If the series expired while idle, the next record resolves it
 * again. A record racing the expiry is neither lost nor counted twice: the read after the write
 * cancels an expiry still deciding, or moves what the expired series' cells hold unharvested into
 * the new series ({@link MetricStore#expireIdle} gives the argument). Gauges never expire.
 * Thread-safe.
 */
public final class SinkMetrics {
  private static final TelemetrySink.Counter NOOP_COUNTER = amount -> {};
  private static final TelemetrySink.Timer NOOP_TIMER = nanos -> {};

  private final MetricStore store;
  private final String defaultService;
  private final Clock clock;
  private final BadInputCounters bad;

  /** Handles over {@code store}; tags without {@code service} get {@code defaultService}. */
  public SinkMetrics(MetricStore store, String defaultService, Clock clock, BadInputCounters bad) {
    this.store = store;
    this.defaultService = defaultService;
    this.clock = clock;
    this.bad = bad;
  }

  /** A counter handle, or a no-op one (counted) when the name is unusable or has no room. */
  public TelemetrySink.Counter counter(String name, Tags tags) {
    CounterHandle h = new CounterHandle(this, name, tags);
    return h.series == null ? NOOP_COUNTER : h;
  }

  /** A timer handle, or a no-op one (counted) when the name is unusable or has no room. */
  public TelemetrySink.Timer timer(String name, Tags tags) {
    TimerHandle h = new TimerHandle(this, name, tags);
    return h.series == null ? NOOP_TIMER : h;
  }

  /** Registers a gauge sampled at every harvest; later registrations of the same series are ignored. */
  public void gauge(String name, Tags tags, DoubleSupplier value) {
    while (true) {
      Series s = resolve(name, MetricType.GAUGE, tags);
      if (s == null || s.gauge != null) {
        return;
      }
      s.gauge = value;
      // The expiry reads the gauge after its CAS to CLOSING; reading the phase after the write
      // above means one of the two sees the other (as for a record, see MetricStore#expireIdle).
      while (s.phase == Series.CLOSING) {
        s.cancelClosing();
      }
      if (!s.expired()) {
        store.publishGauge(s);
        return;
      }
      // expired while idle just before the registration: register on its replacement
    }
  }

  Series resolve(String rawName, MetricType type, Tags tags) {
    String name = MetricNames.normalize(rawName, type);
    if (name == null) {
      bad.count("metric", "invalid_name");
      return null;
    }
    String service = tags.get("service");
    Map<String, String> labels =
        store.baseLabels(service == null || service.isBlank() ? defaultService : service, MetricNames.component(rawName));
    for (int i = 0; i < tags.size(); i++) {
      labels.putIfAbsent(tags.key(i), tags.value(i));
    }
    Series s = store.resolve(name, type, labels, clock.millis());
    if (s == null) {
      bad.count("metric", store.refusal(name, type).code());
      return null;
    }
    if (type == MetricType.COUNTER && !s.hasLiveCounter) {
      s.hasLiveCounter = true;
      store.publishCounter(s);
    } else if (type == MetricType.DISTRIBUTION && !s.hasLiveTimer) {
      s.hasLiveTimer = true;
      store.publishTimer(s);
    }
    return s;
  }

  void rejectIncrement(double amount) {
    bad.count("metric", Double.isNaN(amount) ? "nan" : Double.isInfinite(amount) ? "infinite" : "negative_counter");
  }

  /**
   * What a counter and a timer handle share: the series they write into, and the slow paths when
   * it has expired. Thread-safe.
   */
  abstract static class LiveHandle {
    final SinkMetrics owner;
    private final String name;
    private final Tags tags;
    private final MetricType type;
    volatile Series series;

    LiveHandle(SinkMetrics owner, String name, Tags tags, MetricType type) {
      this.owner = owner;
      this.name = name;
      this.tags = tags;
      this.type = type;
      this.series = owner.resolve(name, type, tags);
    }

    /** The series to write into now: the current one, or its replacement once it expired. */
    final Series target() {
      Series s = series;
      return s.phase == Series.EXPIRED ? revive(s) : s;
    }

    private Series revive(Series dead) {
      Series s = owner.resolve(name, type, tags);
      if (s == null) {
        return dead; // refused (counted); settle() below leaves the record for a later writer
      }
      series = s;
      return s;
    }

    /**
     * Called after a write into {@code s} found its phase not ACTIVE: cancels a CLOSING expiry, or
     * moves what the expired series holds unharvested (this record, perhaps others) into its
     * replacement. See {@link MetricStore#expireIdle} for why this loses and duplicates nothing.
     */
    final void settle(Series s) {
      while (true) {
        int p = s.phase;
        if (p == Series.ACTIVE) {
          return;
        }
        if (p == Series.CLOSING) {
          s.cancelClosing(); // or the expiry finished first: read the phase again
          continue;
        }
        Series next = owner.resolve(name, type, tags);
        if (next == null) {
          return; // refused (counted); the record stays in the dead cells until a writer moves it
        }
        series = next;
        if (owner.store.forward(s, next)) {
          return;
        }
        // next expired before the move: resolve again
      }
    }
  }

  /** A counter bound to one series. */
  static final class CounterHandle extends LiveHandle implements TelemetrySink.Counter {
    CounterHandle(SinkMetrics owner, String name, Tags tags) {
      super(owner, name, tags, MetricType.COUNTER);
    }

    @Override
    public void increment(double amount) {
      if (!(amount >= 0) || amount == Double.POSITIVE_INFINITY) {
        owner.rejectIncrement(amount);
        return;
      }
      Series s = target();
      s.counterTotal.add(amount);
      if (s.phase != Series.ACTIVE) {
        settle(s);
      }
    }
  }

  /** A timer bound to one series; durations are stored in milliseconds. */
  static final class TimerHandle extends LiveHandle implements TelemetrySink.Timer {
    TimerHandle(SinkMetrics owner, String name, Tags tags) {
      super(owner, name, tags, MetricType.DISTRIBUTION);
    }

    @Override
    public void record(long nanos) {
      if (nanos < 0) {
        owner.rejectIncrement(-1);
        return;
      }
      Series s = target();
      s.timerSketch.record(nanos * 1e-6);
      s.timerCount.increment();
      s.timerTotalNanos.add(nanos);
      if (nanos > s.timerMaxNanos.get()) {
        s.timerMaxNanos.accumulateAndGet(nanos, Math::max);
      }
      if (nanos < s.timerMinNanos.get()) {
        s.timerMinNanos.accumulateAndGet(nanos, Math::min);
      }
      // After every part of the record: a timer record is moved whole or not at all.
      if (s.phase != Series.ACTIVE) {
        settle(s);
      }
    }
  }
}
