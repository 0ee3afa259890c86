package io.orchestra.observability.internal;

import io.micrometer.core.instrument.Meter;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.observability.metrics.MetricType;
import io.orchestra.observability.metrics.Rollup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * One metric series (name plus labels): its roll-up rings, its baseline, and the live cells that
 * sink handles write into without locks. Roll-ups and the baseline are guarded by this object's
 * monitor; the live cells are lock-free.
 *
 * <p>Idle expiry goes through a phase: {@code ACTIVE}, {@code CLOSING} (the expiry is deciding)
 * and {@code EXPIRED} (final; the series is out of the store). A sink handle reads the phase after
 * each write; one that meets {@code CLOSING} cancels it by CAS, one that meets {@code EXPIRED}
 * moves what no harvest will see into the series that replaces this one ({@link
 * MetricStore#expireIdle} says why that loses and duplicates nothing).
 */
public final class Series {
  static final int ACTIVE = 0;
  static final int CLOSING = 1;
  static final int EXPIRED = 2;
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(Series.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String name;
  final MetricType type;
  final String service;
  final Tags labels;
  final Map<String, String> labelMap;
  private final LevelRing[] rings;
  private final SketchMapping mapping;
  private RobustBaseline baseline;
  private final MetricStore store;

  /** Cumulative value last received through collect (counters), NaN before the first. */
  double lastCumulative = Double.NaN;

  volatile long lastUpdateMillis;
  volatile int phase = ACTIVE;
  volatile Meter meter;

  // Live cells, written by sink handles. Counters are cumulative (never reset) so Micrometer can
  // read them directly; timers are drained at each harvest. The harvest bookkeeping (*Harvested,
  // *Judged, *Unjudged*) is guarded by the store's harvest lock.
  final DoubleAdder counterTotal = new DoubleAdder();
  double counterHarvested;
  double counterJudged;
  final ConcurrentSketch timerSketch;
  final LongAdder timerCount = new LongAdder();
  final LongAdder timerTotalNanos = new LongAdder();
  final AtomicLong timerMaxNanos = new AtomicLong(Long.MIN_VALUE);
  final AtomicLong timerMinNanos = new AtomicLong(Long.MAX_VALUE);
  long timerHarvestedNanos;
  long timerHarvestedCount;
  long timerUnjudgedCount;
  double timerUnjudgedSumMs;
  volatile DoubleSupplier gauge;
  volatile double collectedTotal;
  volatile double collectedLast = Double.NaN;
  volatile boolean hasLiveCounter;
  volatile boolean hasLiveTimer;

  Series(MetricStore store, String name, MetricType type, String service, Tags labels, long[] levelMillis, int[] capacities, SketchMapping mapping, long now) {
    this.store = store;
    this.name = name;
    this.type = type;
    this.service = service;
    this.labels = labels;
    this.labelMap = Map.copyOf(labels.toMap());
    this.mapping = mapping;
    this.rings = new LevelRing[levelMillis.length];
    for (int i = 0; i < rings.length; i++) {
      rings[i] = new LevelRing(levelMillis[i], capacities[i]);
    }
    this.timerSketch = type == MetricType.DISTRIBUTION ? new ConcurrentSketch(mapping) : null;
    this.lastUpdateMillis = now;
  }

  /** The normalized name. */
  public String name() {
    return name;
  }

  /** The type. */
  public MetricType type() {
    return type;
  }

  /** The service label. */
  public String service() {
    return service;
  }

  /** All labels. */
  public Map<String, String> labels() {
    return labelMap;
  }

  double gaugeValue() {
    DoubleSupplier g = gauge;
    try {
      return g == null ? Double.NaN : g.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  MetricStore store() {
    return store;
  }

  /** Whether this series is out of the store for good. */
  boolean expired() {
    return phase == EXPIRED;
  }

  /** The expiry's first step: ACTIVE to CLOSING; false when a writer or another expiry is here. */
  boolean beginClosing() {
    return PHASE.compareAndSet(this, ACTIVE, CLOSING);
  }

  /** Cancels a CLOSING phase (a writer, or the expiry changing its mind); false if not CLOSING. */
  boolean cancelClosing() {
    return PHASE.compareAndSet(this, CLOSING, ACTIVE);
  }

  /** The expiry's last step: CLOSING to EXPIRED; false when a writer cancelled it meanwhile. */
  boolean finishClosing() {
    return PHASE.compareAndSet(this, CLOSING, EXPIRED);
  }

  /**
   * Whether the live cells hold anything the harvest bookkeeping has not taken: a counter
   * increase, a timer bucket, count or total, or a published min/max. Called under the store's
   * harvest lock.
   */
  boolean hasUnharvested() {
    if (hasLiveCounter && counterTotal.sum() != counterHarvested) {
      return true;
    }
    return hasLiveTimer
        && (!timerSketch.isEmpty()
            || timerCount.sum() != timerHarvestedCount
            || timerTotalNanos.sum() != timerHarvestedNanos
            || timerMinNanos.get() != Long.MAX_VALUE
            || timerMaxNanos.get() != Long.MIN_VALUE);
  }

  /** Records one observation at {@code epochMillis} into every level (see below). */
  boolean record(long epochMillis, double value) {
    return record(epochMillis, value, 1);
  }

  /**
   * Records {@code n} observations of {@code value} at {@code epochMillis} into every level; into
   * this series' replacement when it has expired since the caller resolved it (the expiry sets
   * EXPIRED under this monitor, after checking {@link #lastUpdateMillis} again). False when no
   * window takes the time, or no replacement is allowed (counted).
   */
  boolean record(long epochMillis, double value, long n) {
    Series s = this;
    while (true) {
      synchronized (s) {
        if (s.phase != EXPIRED) {
          return s.recordLocked(epochMillis, value, n);
        }
      }
      s = store.resolve(name, type, labelMap, epochMillis);
      if (s == null) {
        store.bad().count("metric", store.refusal(name, type).code());
        return false;
      }
    }
  }

  private boolean recordLocked(long epochMillis, double value, long n) {
    boolean stored = false;
    for (LevelRing ring : rings) {
      RollupWindow w = ring.windowFor(epochMillis);
      if (w != null) {
        w.add(value, n, type == MetricType.DISTRIBUTION ? mapping : null);
        ring.sealIfOld(w);
        stored = true;
      }
    }
    lastUpdateMillis = Math.max(lastUpdateMillis, epochMillis);
    return stored;
  }

  /** Records a harvested batch at {@code epochMillis} into every level. */
  synchronized void recordBatch(long epochMillis, long n, double sum, double min, double max, double last, QuantileSketch sketch) {
    for (LevelRing ring : rings) {
      RollupWindow w = ring.windowFor(epochMillis);
      if (w != null) {
        w.addBatch(n, sum, min, max, last, sketch);
        ring.sealIfOld(w);
      }
    }
    lastUpdateMillis = Math.max(lastUpdateMillis, epochMillis);
  }

  /** Judges {@code value} against this series' baseline. */
  synchronized RobustBaseline.Verdict judge(double value, int window, int warmup, double threshold, int confirm) {
    if (baseline == null) {
      baseline = new RobustBaseline(window, warmup, threshold, confirm);
    }
    return baseline.observe(value);
  }

  /** The windows of level {@code level} overlapping {@code [from, to)}, oldest first. */
  public synchronized List<Rollup> rollups(int level, long from, long to, long notBefore) {
    List<Rollup> out = new ArrayList<>();
    LevelRing ring = rings[level];
    ring.forEach(from, to, notBefore, w -> out.add(w.toRollup(ring.levelMillis, mapping)));
    return out;
  }

  /** Everything of level {@code level} in {@code [from, to)} combined into {@code into}. */
  public synchronized void aggregate(int level, long from, long to, long notBefore, Aggregate into) {
    LevelRing ring = rings[level];
    ring.forEach(from, to, notBefore, into::add);
  }

  /**
   * Everything of level {@code level} in {@code [from, to)} combined into both {@code into} and
   * {@code also}, in one hold of this monitor: both see the same windows, however many points
   * are recorded meanwhile (two calls could give {@code also} points {@code into} never saw).
   */
  public synchronized void aggregate(int level, long from, long to, long notBefore, Aggregate into, Aggregate also) {
    LevelRing ring = rings[level];
    ring.forEach(from, to, notBefore, w -> {
      into.add(w);
      also.add(w);
    });
  }

  /** Number of levels. */
  public int levels() {
    return rings.length;
  }

  /** Window length of level {@code level}. */
  public long levelMillis(int level) {
    return rings[level].levelMillis;
  }

  /** A running combination of windows. Not thread-safe. */
  public static final class Aggregate {
    /** Observations. */
    public long count;
    /** Sum. */
    public double sum;
    /** Minimum, NaN when empty. */
    public double min = Double.NaN;
    /** Maximum, NaN when empty. */
    public double max = Double.NaN;
    /** Latest value, NaN when empty. */
    public double last = Double.NaN;
    private long lastStart = Long.MIN_VALUE;
    /** Combined distribution (empty for counters and gauges). */
    public final QuantileSketch sketch;

    /** An empty aggregate. */
    public Aggregate(SketchMapping mapping) {
      this.sketch = new QuantileSketch(mapping);
    }

    void add(RollupWindow w) {
      count += w.count;
      sum += w.sum;
      min = Double.isNaN(min) ? w.min : Math.min(min, w.min);
      max = Double.isNaN(max) ? w.max : Math.max(max, w.max);
      if (w.start >= lastStart) {
        last = w.last;
        lastStart = w.start;
      }
      w.mergeSketchInto(sketch);
    }

    /** Mean, NaN when empty. */
    public double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }
  }
}
