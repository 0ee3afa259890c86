package io.orchestra.observability.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.observability.MetricsConfig;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.Severity;
import io.orchestra.observability.metrics.Anomaly;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.RejectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * All metric series: creation through the cardinality guard, the type registry, Micrometer
 * publication, harvests of live cells, anomaly judgement and idle expiry.
 *
 * <p>Thread-safe. Series lookup is a concurrent map read; series creation takes one lock, harvests
 * another, expiry both (harvest lock first); roll-up writes lock the series; sink handles write
 * lock-free live cells.
 */
public final class MetricStore {
  private static final Set<String> EXEMPT_TAGS = Set.of("environment", "cluster");

  private final ObservabilityConfig config;
  private final MetricsConfig mc;
  private final MeterRegistry registry;
  private final BadInputCounters bad;
  private final SketchMapping mapping;
  private final long[] levelMillis;
  private final int[] capacities;
  private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, MetricType> types = new ConcurrentHashMap<>();
  private final CardinalityGuard guard;
  // metric name -> live series of that name; guarded by lock
  private final Map<String, int[]> seriesPerName = new HashMap<>();
  private final Object lock = new Object();
  private final Object harvestLock = new Object();

  /** A store for {@code config}; {@code registry} may be null. */
  public MetricStore(ObservabilityConfig config, MeterRegistry registry, BadInputCounters bad) {
    this.config = config;
    this.mc = config.metrics();
    this.registry = registry;
    this.bad = bad;
    this.mapping = new SketchMapping(mc.quantileRelativeError());
    List<Duration> levels = mc.aggregationLevels();
    this.levelMillis = new long[levels.size()];
    this.capacities = new int[levels.size()];
    for (int i = 0; i < levels.size(); i++) {
      levelMillis[i] = levels.get(i).toMillis();
      long byRetention = (mc.retention().toMillis() + levelMillis[i] - 1) / levelMillis[i] + 1;
      capacities[i] = (int) Math.min(mc.maxWindowsPerLevel(), byRetention);
    }
    this.guard = new CardinalityGuard(config::tagBudgetFor, EXEMPT_TAGS);
  }

  /** The sketch mapping shared by every series. */
  public SketchMapping mapping() {
    return mapping;
  }

  /** The base labels of {@code service}: service, environment, cluster, optional component. */
  Map<String, String> baseLabels(String service, String component) {
    Map<String, String> m = new HashMap<>();
    m.put(ObservabilityConfig.SERVICE_TAG, service);
    m.put("environment", config.environment());
    m.put("cluster", config.cluster());
    if (component != null) {
      m.put("component", component);
    }
    return m;
  }

  /**
   * The series for a normalized name and raw labels, created when needed; null on a type
   * conflict or when the series cap leaves no room for a metric that has no series yet (the
   * caller counts {@link #refusal}).
   */
  Series resolve(String name, MetricType type, Map<String, String> rawLabels, long now) {
    MetricType known = types.putIfAbsent(name, type);
    if (known != null && known != type) {
      return null;
    }
    synchronized (lock) {
      Map<String, String> admitted = new HashMap<>();
      for (Map.Entry<String, String> e : rawLabels.entrySet()) {
        admitted.put(e.getKey(), guard.admit(name, e.getKey(), e.getValue()));
      }
      SeriesKey key = new SeriesKey(name, Tags.of(admitted));
      Series s = series.get(key);
      if (s != null) {
        return s;
      }
      if (series.size() >= mc.maxSeries()) {
        for (Map.Entry<String, String> e : admitted.entrySet()) {
          if (!EXEMPT_TAGS.contains(e.getKey())) {
            e.setValue(CardinalityGuard.OTHER);
          }
        }
        key = new SeriesKey(name, Tags.of(admitted));
        s = series.get(key);
        if (s == null && !seriesPerName.containsKey(name)) {
          // A metric without any series has nothing to fold into; one more series per new name
          // would make the cap meaningless when names themselves explode.
          return null;
        }
        bad.count("metric", "series_overflow");
        if (s != null) {
          return s;
        }
      }
      if (!admitted.equals(rawLabels)) {
        bad.count("metric", "label_folded");
      }
      String service = admitted.getOrDefault(ObservabilityConfig.SERVICE_TAG, config.serviceName());
      s = new Series(this, name, type, service, key.labels(), levelMillis, capacities, mapping, now);
      guard.register(name, key.labels());
      seriesPerName.computeIfAbsent(name, k -> new int[1])[0]++;
      series.put(key, s);
      return s;
    }
  }

  /** Why {@link #resolve} returned null for {@code name} and {@code type}. */
  RejectReason refusal(String name, MetricType type) {
    MetricType known = types.get(name);
    return known != null && known != type ? RejectReason.TYPE_CONFLICT : RejectReason.SERIES_LIMIT;
  }

  /** Judges {@code value} on {@code s} and returns an anomaly or null. */
  Anomaly judge(Series s, double value, long now) {
    RobustBaseline.Verdict v =
        s.judge(value, mc.anomalyWindow(), mc.anomalyWarmup(), mc.anomalyThreshold(), mc.levelShiftConfirm());
    if (v == null) {
      return null;
    }
    Severity severity = Math.abs(v.score()) >= 2 * mc.anomalyThreshold() ? Severity.CRITICAL : Severity.WARNING;
    return new Anomaly(
        s.service, s.name, s.labelMap, v.kind(), value, v.expectedLow(), v.expectedHigh(), v.score(),
        v.severityScore(), severity, now);
  }

  /**
   * Moves everything sink handles recorded since the last harvest into the roll-ups at {@code
   * epochMillis}. When {@code judge} (the collection tick), each live series is also judged for
   * anomalies over everything since the previous judged harvest: a counter's increase and a
   * timer's mean over one whole collection interval, a gauge's value. Harvests run for queries in
   * between ({@code judge} false) only move data, so their irregular, shorter intervals never
   * reach the baselines. Returns the anomalies.
   */
  public List<Anomaly> harvest(long epochMillis, boolean judge) {
    List<Anomaly> anomalies = new ArrayList<>();
    synchronized (harvestLock) {
      QuantileSketch scratch = new QuantileSketch(mapping);
      for (Series s : series.values()) {
        Anomaly a = null;
        if (s.hasLiveCounter) {
          double total = s.counterTotal.sum();
          double delta = total - s.counterHarvested;
          s.counterHarvested = total;
          if (delta > 0) {
            s.recordBatch(epochMillis, 1, delta, delta, delta, delta, null);
          }
          if (judge) {
            double interval = total - s.counterJudged;
            s.counterJudged = total;
            a = judge(s, Math.max(0, interval), epochMillis);
          }
        }
        if (s.hasLiveTimer) {
          scratch.clear();
          s.timerHarvestedCount = s.timerCount.sum();
          long n = s.timerSketch.drainInto(scratch);
          if (n > 0) {
            long totalNanos = s.timerTotalNanos.sum();
            double sumMs = (totalNanos - s.timerHarvestedNanos) / 1e6;
            s.timerHarvestedNanos = totalNanos;
            long minNanos = s.timerMinNanos.getAndSet(Long.MAX_VALUE);
            long maxNanos = s.timerMaxNanos.getAndSet(Long.MIN_VALUE);
            // A record racing this harvest may have put its bucket into the sketch before its
            // min/max: the drained sketch then bounds the batch (within the relative error).
            double min = minNanos == Long.MAX_VALUE ? scratch.quantile(0) : minNanos / 1e6;
            double max = maxNanos == Long.MIN_VALUE ? scratch.quantile(1) : maxNanos / 1e6;
            s.recordBatch(epochMillis, n, sumMs, min, max, max, scratch);
            s.timerUnjudgedCount += n;
            s.timerUnjudgedSumMs += sumMs;
          }
          if (judge && s.timerUnjudgedCount > 0) {
            a = judge(s, s.timerUnjudgedSumMs / s.timerUnjudgedCount, epochMillis);
            s.timerUnjudgedCount = 0;
            s.timerUnjudgedSumMs = 0;
          }
        }
        if (s.gauge != null) {
          double v;
          try {
            v = s.gauge.getAsDouble();
          } catch (RuntimeException e) {
            bad.count("gauge", "supplier_failed");
            continue;
          }
          if (Double.isFinite(v)) {
            s.recordBatch(epochMillis, 1, v, v, v, v, null);
            if (judge) {
              a = judge(s, v, epochMillis);
            }
          } else {
            bad.count("gauge", "not_finite");
          }
        }
        if (a != null) {
          anomalies.add(a);
        }
      }
    }
    return anomalies;
  }

  /**
   * Removes series idle since before {@code now - seriesIdleTimeout} (gauges never expire);
   * returns how many.
   *
   * <p>Why a record racing this loses nothing and counts nothing twice. A sink handle writes its
   * record into the live cells, then reads the series' phase (one volatile read); only then is the
   * record done. This method holds the harvest lock, so no harvest and no {@link #forward} runs
   * while it decides, and for each idle series it (1) CASes ACTIVE to CLOSING, (2) looks for
   * anything in the cells the harvest bookkeeping has not taken, and cancels if there is, (3)
   * CASes CLOSING to EXPIRED and removes the series. Take a record and the phase its writer reads
   * after writing:
   *
   * <ul>
   *   <li>ACTIVE: the read came before (1), so every write of the record came before (2). Each
   *       write was taken by an earlier harvest, or (2) sees it and cancels: the record is in a
   *       live series.
   *   <li>CLOSING: the writer CASes it back to ACTIVE, so (3) fails and the series stays; the
   *       next harvest takes the record. (If (3) won first, the writer reads EXPIRED instead.)
   *   <li>EXPIRED: the writer moves, under the harvest lock, whatever the dead series' cells hold
   *       beyond its harvest bookkeeping into the series that replaces it ({@link #forward}).
   *       That includes this record's writes (they precede the move) unless another writer's
   *       move took them first; a move takes each part once, because the bookkeeping advances
   *       under the lock and sketch buckets are taken by getAndSet. Nothing a harvest took is
   *       moved: harvests of the dead series ended before (2), which found nothing untaken, and
   *       none runs after (3), since the series is out of the map before the lock is released.
   * </ul>
   *
   * A point recorded straight into the roll-ups ({@link Series#record}) and the step to EXPIRED
   * both hold the series' monitor: the point either comes first (its time makes the series not
   * idle, unless the point itself is older than the timeout) or sees EXPIRED and goes to the
   * replacement.
   *
   * <p>The writer never decides from whether its own record was harvested (it cannot know: a
   * harvest may take it while the writer is preempted, and the series may idle out afterwards);
   * it moves what is there, so a stalled writer finds its record taken and moves nothing twice.
   */
  public int expireIdle(long now) {
    long cutoff = now - mc.seriesIdleTimeout().toMillis();
    int removed = 0;
    synchronized (harvestLock) {
      synchronized (lock) {
        for (Map.Entry<SeriesKey, Series> e : series.entrySet()) {
          Series s = e.getValue();
          if (s.lastUpdateMillis >= cutoff || s.gauge != null || !s.beginClosing()) {
            continue;
          }
          if (s.gauge != null || s.hasUnharvested()) {
            s.cancelClosing(); // a gauge registered meanwhile, or written since the last harvest
            continue;
          }
          synchronized (s) {
            // A point recorded straight into the roll-ups (collect, logs) holds this monitor and
            // moves to the replacement once it sees EXPIRED; one that came first shows here.
            if (s.lastUpdateMillis >= cutoff) {
              s.cancelClosing();
              continue;
            }
            if (!s.finishClosing()) {
              continue; // a writer cancelled
            }
          }
          series.remove(e.getKey());
          guard.unregister(s.name, s.labels);
          int[] n = seriesPerName.get(s.name);
          if (n != null && --n[0] <= 0) {
            seriesPerName.remove(s.name);
          }
          Meter m = s.meter;
          if (m != null && registry != null) {
            registry.remove(m);
          }
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * Moves what the live cells of {@code from}, an expired series, hold beyond its harvest
   * bookkeeping into the live cells of {@code to}, its replacement (same name and type), where
   * the next harvest takes it. False, moving nothing, when {@code to} has expired too (the caller
   * resolves again). Under the harvest lock, so {@code to}'s phase cannot change meanwhile and the
   * moved data is in {@code to} before any later expiry looks at it.
   */
  boolean forward(Series from, Series to) {
    synchronized (harvestLock) {
      if (to.expired()) {
        return false;
      }
      if (from.hasLiveCounter) {
        double total = from.counterTotal.sum();
        double delta = total - from.counterHarvested;
        from.counterHarvested = total;
        if (delta > 0) {
          to.counterTotal.add(delta);
        }
      }
      if (from.hasLiveTimer && to.timerSketch != null) {
        from.timerSketch.moveInto(to.timerSketch);
        long count = from.timerCount.sum();
        to.timerCount.add(count - from.timerHarvestedCount);
        from.timerHarvestedCount = count;
        long nanos = from.timerTotalNanos.sum();
        to.timerTotalNanos.add(nanos - from.timerHarvestedNanos);
        from.timerHarvestedNanos = nanos;
        long min = from.timerMinNanos.getAndSet(Long.MAX_VALUE);
        if (min != Long.MAX_VALUE) {
          to.timerMinNanos.accumulateAndGet(min, Math::min);
        }
        long max = from.timerMaxNanos.getAndSet(Long.MIN_VALUE);
        if (max != Long.MIN_VALUE) {
          to.timerMaxNanos.accumulateAndGet(max, Math::max);
        }
      }
      return true;
    }
  }

  /** Every live series. */
  public Collection<Series> all() {
    return series.values();
  }

  /** The series of {@code service}. */
  public List<Series> ofService(String service) {
    List<Series> out = new ArrayList<>();
    for (Series s : series.values()) {
      if (s.service.equals(service)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Live distinct values of {@code tagKey} on {@code metric} (for tests and reports). */
  public int distinctValues(String metric, String tagKey) {
    synchronized (lock) {
      return guard.distinct(metric, tagKey);
    }
  }

  /** Number of series. */
  public int size() {
    return series.size();
  }

  /** Level count. */
  public int levels() {
    return levelMillis.length;
  }

  /** Window length of {@code level}. */
  public long levelMillis(int level) {
    return levelMillis[level];
  }

  /** The finest level whose retention covers {@code from} at {@code now}. */
  public int levelCovering(long from, long now) {
    for (int i = 0; i < levelMillis.length; i++) {
      if (now - (long) (capacities[i] - 1) * levelMillis[i] <= from) {
        return i;
      }
    }
    return levelMillis.length - 1;
  }

  /** Oldest timestamp retention still allows at {@code now}. */
  public long notBefore(long now) {
    return now - mc.retention().toMillis();
  }

  BadInputCounters bad() {
    return bad;
  }

  // ---- Micrometer ----

  void publishCounter(Series s) {
    publish(s, () -> FunctionCounter.builder(s.name, s, x -> x.counterTotal.sum()).tags(tags(s)).register(registry));
  }

  void publishTimer(Series s) {
    publish(s, () -> FunctionTimer.builder(
                s.name, s, x -> x.timerCount.sum(), x -> x.timerTotalNanos.sum(), TimeUnit.NANOSECONDS)
            .tags(tags(s))
            .register(registry));
  }

  void publishGauge(Series s) {
    publish(s, () -> Gauge.builder(s.name, s, Series::gaugeValue).tags(tags(s)).register(registry));
  }

  void publishCollected(Series s) {
    switch (s.type) {
      case COUNTER:
        publish(s, () -> FunctionCounter.builder(s.name, s, x -> x.collectedTotal).tags(tags(s)).register(registry));
        break;
      case GAUGE:
        publish(s, () -> Gauge.builder(s.name, s, x -> x.collectedLast).tags(tags(s)).register(registry));
        break;
      default:
        publish(s, () -> DistributionSummary.builder(s.name).tags(tags(s)).register(registry));
    }
  }

  private void publish(Series s, java.util.function.Supplier<Meter> register) {
    if (registry == null || s.meter != null) {
      return;
    }
    synchronized (s) {
      if (s.meter == null) {
        try {
          s.meter = register.get();
        } catch (RuntimeException e) {
          bad.count("metric", "micrometer_rejected");
        }
      }
    }
  }

  private static List<Tag> tags(Series s) {
    List<Tag> list = new ArrayList<>(s.labels.size());
    for (int i = 0; i < s.labels.size(); i++) {
      list.add(Tag.of(s.labels.key(i), s.labels.value(i)));
    }
    return list;
  }

  /** A series identity. */
  record SeriesKey(String name, Tags labels) {}
}
