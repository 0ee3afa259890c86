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
 * increment is one {@code DoubleAdder.add}, allocation-free. If the series expired while idle, the
 * next record resolves it again. Thread-safe.
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
    Series s = resolve(name, MetricType.GAUGE, tags);
    if (s != null && s.gauge == null) {
      s.gauge = value;
      store.publishGauge(s);
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

  /** A counter bound to one series. */
  static final class CounterHandle implements TelemetrySink.Counter {
    private final SinkMetrics owner;
    private final String name;
    private final Tags tags;
    volatile Series series;

    CounterHandle(SinkMetrics owner, String name, Tags tags) {
      this.owner = owner;
      this.name = name;
      this.tags = tags;
      this.series = owner.resolve(name, MetricType.COUNTER, tags);
    }

    @Override
    public void increment(double amount) {
      if (!(amount >= 0) || amount == Double.POSITIVE_INFINITY) {
        owner.rejectIncrement(amount);
        return;
      }
      Series s = series;
      if (s.expired) {
        s = revive();
      }
      s.counterTotal.add(amount);
    }

    private Series revive() {
      Series s = owner.resolve(name, MetricType.COUNTER, tags);
      if (s == null) {
        s = series; // the name cannot conflict now if it did not before; keep writing somewhere
      }
      series = s;
      return s;
    }
  }

  /** A timer bound to one series; durations are stored in milliseconds. */
  static final class TimerHandle implements TelemetrySink.Timer {
    private final SinkMetrics owner;
    private final String name;
    private final Tags tags;
    volatile Series series;

    TimerHandle(SinkMetrics owner, String name, Tags tags) {
      this.owner = owner;
      this.name = name;
      this.tags = tags;
      this.series = owner.resolve(name, MetricType.DISTRIBUTION, tags);
    }

    @Override
    public void record(long nanos) {
      if (nanos < 0) {
        owner.rejectIncrement(-1);
        return;
      }
      Series s = series;
      if (s.expired) {
        s = revive();
      }
      s.timerSketch.record(nanos * 1e-6);
      s.timerCount.increment();
      s.timerTotalNanos.add(nanos);
      if (nanos > s.timerMaxNanos.get()) {
        s.timerMaxNanos.accumulateAndGet(nanos, Math::max);
      }
      if (nanos < s.timerMinNanos.get()) {
        s.timerMinNanos.accumulateAndGet(nanos, Math::min);
      }
    }

    private Series revive() {
      Series s = owner.resolve(name, MetricType.DISTRIBUTION, tags);
      if (s == null) {
        s = series;
      }
      series = s;
      return s;
    }
  }
}
