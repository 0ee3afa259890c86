package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.observability.ObservabilityConfig;
import io.orchestra.observability.TracingConfig;
import io.orchestra.observability.traces.BufferFullPolicy;
import io.orchestra.observability.traces.SpanData;
import io.orchestra.observability.traces.SpanRejection;
import io.orchestra.observability.traces.TraceAnomaly;
import io.orchestra.observability.traces.TraceData;
import io.orchestra.observability.traces.TraceResult;
import io.orchestra.observability.traces.TraceSampler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Traces in: spans recorded through the sink (sampled, buffered lock-free, drained on the
 * executor, and at a full buffer by the recording thread or not at all, as {@link
 * TracingConfig#whenBufferFull()} says) and whole or partial traces
 * handed to {@code collectDistributedTrace} (validated, sampled, size-limited, merged). Both
 * end in the {@link TraceStore}; a trace is judged for anomalies when it is collected and
 * completed once no span arrived for the completion delay.
 *
 * <p>Thread-safe. Recording touches only the span and the buffer (and, at a full buffer, either
 * drains it under the store's monitor or counts the span shed); everything else runs under the
 * store's monitor.
 */
public final class TracePipeline {
  private static final int MAX_RECENT_ANOMALIES = 1_000;

  private final ObservabilityConfig config;
  private final TracingConfig tc;
  private final TraceSampler sampler;
  private final TraceStore store;
  private final SpanBuffer buffer;
  private final BadInputCounters bad;
  private final Ticker ticker;
  private final Executor executor;
  private final TraceJudge judge;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final boolean shedWhenFull;
  private final LongAdder shed = new LongAdder();
  // Drain and completion scratch, guarded by the store lock.
  private final TraceShape shape = new TraceShape();
  private final SpanAttributeText attributeText = new SpanAttributeText();
  private final byte[] hexScratch = new byte[32];
  private final ArrayDeque<TraceAnomaly> recent = new ArrayDeque<>();
  private final Runnable drainTask = this::backgroundDrain;
  private volatile Consumer<List<TraceAnomaly>> anomalyListener = a -> {};

  /** A pipeline for {@code config}. */
  public TracePipeline(ObservabilityConfig config, BadInputCounters bad, Ticker ticker, Executor executor) {
    this.config = config;
    this.tc = config.tracing();
    this.sampler = new TraceSampler(tc.samplingRate());
    this.store = new TraceStore(tc.maxStoredTraces());
    this.buffer = new SpanBuffer(tc.spanBufferSize());
    this.shedWhenFull = tc.whenBufferFull() == BufferFullPolicy.SHED;
    this.bad = bad;
    this.ticker = ticker;
    this.executor = executor;
    this.judge = new TraceJudge(config);
  }

  /** Called with the anomalies of each completed trace. */
  public void onAnomalies(Consumer<List<TraceAnomaly>> listener) {
    this.anomalyListener = listener;
  }

  /** The sampler. */
  public TraceSampler sampler() {
    return sampler;
  }

  // ---- sink side ----

  /** The sink's {@code startSpan}: NOOP unless tracing is on, the caller sampled and the id samples in. */
  public TelemetrySink.Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
    if (context == null || !tc.distributedTracing() || !context.sampled()
        || !sampler.sample(context.traceIdHigh(), context.traceIdLow())) {
      return TelemetrySink.Span.NOOP;
    }
    return new RecordingSpan(this, name, kind, context.traceIdHigh(), context.traceIdLow(), context.spanId(), parentSpanId, startEpochNanos);
  }

  /**
   * Buffers an ended span and asks the executor for a drain once the buffer is half full. At a
   * full buffer (and only there is the policy read) {@link BufferFullPolicy#DRAIN} has the
   * recording thread drain it itself (caller-runs backpressure), so memory stays bounded by the
   * buffer and the store while every sampled span is kept, whatever the executor does (inline, a
   * background thread that falls behind, or one that rejects); {@link BufferFullPolicy#SHED}
   * drops the span and counts it, never waiting.
   */
  void offer(RecordingSpan span) {
    if (!buffer.offer(span)) {
      offerFull(span);
    }
    if (buffer.pending() > buffer.capacity() / 2 && drainScheduled.compareAndSet(false, true)) {
      try {
        executor.execute(drainTask);
      } catch (RuntimeException e) {
        drainScheduled.set(false);
      }
    }
  }

  /** A full buffer: shed the span (counted at the next drain) or drain until it fits. */
  private void offerFull(RecordingSpan span) {
    if (shedWhenFull) {
      shed.increment();
      return;
    }
    do {
      drainFull();
    } while (!buffer.offer(span));
  }

  /**
   * The recording thread's drain of a full buffer. The store's monitor keeps it to one drainer at
   * a time: a background drain in progress makes this wait for it, then this drains what is
   * left. A drain that freed nothing met a slot claimed but not yet published by another
   * recording thread, which publishes next: spin until it has. Nothing records a span while
   * holding the store's monitor (it is this pipeline's own), so this never drains inside a drain.
   */
  private void drainFull() {
    long before = buffer.pending();
    drain();
    if (buffer.pending() >= before) {
      Thread.onSpinWait();
    }
  }

  private void backgroundDrain() {
    try {
      drain();
    } finally {
      drainScheduled.set(false);
    }
  }

  /** Moves buffered sink spans into the store, and counts the spans shed since the last drain. */
  public void drain() {
    long now = ticker.read();
    bad.add("span", "buffer_full", shed.sumThenReset());
    if (buffer.pending() == 0) {
      return;
    }
    synchronized (store.lock()) {
      buffer.drain(
          s -> {
            // A trace already stored lends the span its id text; toSpanData masks as sanitize
            // would, without a second pass over the attributes.
            StoredTrace t = store.get(s.traceIdHigh, s.traceIdLow);
            String traceId = t != null ? t.traceId : Ids.traceId(s.traceIdHigh, s.traceIdLow, hexScratch);
            SpanData data = s.toSpanData(traceId, config.serviceName(), attributeText, hexScratch);
            if (t == null) {
              t = store.create(new StoredTrace(traceId, s.traceIdHigh, s.traceIdLow));
            }
            addSpan(t, data, s.storedSize, now, null);
          });
    }
  }

  // ---- collect side ----

  /**
   * The seed's {@code collectDistributedTrace}. Drains the sink buffer first, so the trace is
   * merged with every stored and every ended sink span of it, like a query's view.
   */
  public TraceResult collect(TraceData trace) {
    if (!tc.distributedTracing()) {
      return new TraceResult(true, "tracing_disabled", trace == null ? null : trace.traceId(), 0, List.of(), null, null, List.of());
    }
    String traceId = trace == null ? null : Ids.traceId(trace.traceId());
    if (traceId == null || trace.spans().isEmpty()) {
      bad.count("trace", traceId == null ? "invalid_trace_id" : "no_spans");
      return new TraceResult(false, "invalid_trace_data", trace == null ? null : trace.traceId(), 0, List.of(), null, null, List.of());
    }
    if (!sampler.sample(traceId)) {
      return new TraceResult(true, "trace_not_sampled", traceId, 0, List.of(), null, null, List.of());
    }
    List<SpanRejection> rejected = new ArrayList<>();
    List<SpanData> valid = new ArrayList<>(trace.spans().size());
    for (SpanData s : trace.spans()) {
      SpanData v = validate(traceId, s, rejected);
      if (v != null) {
        valid.add(v);
      }
    }
    // Earliest first, so that size truncation keeps roots and drops the late tail.
    valid.sort(Comparator.comparingLong(SpanData::startEpochNanos));
    // Sink spans of this trace that ended before this call are merged too, as every query sees
    // them (before, the answer left them in the buffer: a collected child of a sink span came
    // back an orphan in a trace that held its parent).
    drain();
    long now = ticker.read();
    synchronized (store.lock()) {
      StoredTrace t = store.getOrCreate(traceId);
      int accepted = 0;
      for (SpanData s : valid) {
        if (addSpan(t, s, StoredTrace.sizeOf(s), now, rejected)) {
          accepted++;
        }
      }
      if (t.spans.isEmpty()) {
        return new TraceResult(false, "invalid_trace_data", traceId, 0, rejected, null, null, List.of());
      }
      TraceAnalysis a = t.analysis();
      List<TraceAnomaly> anomalies = judge.judge(t, a);
      t.changed = false;
      return new TraceResult(true, null, traceId, accepted, rejected, a.metrics(), a.hierarchy(), anomalies);
    }
  }

  private SpanData validate(String traceId, SpanData s, List<SpanRejection> rejected) {
    if (s == null) {
      reject(rejected, null, "null_span");
      return null;
    }
    String spanId = Ids.spanId(s.spanId());
    if (spanId == null) {
      reject(rejected, s.spanId(), "invalid_span_id");
      return null;
    }
    if (s.traceId() != null && !traceId.equals(Ids.traceId(s.traceId()))) {
      reject(rejected, s.spanId(), "trace_id_mismatch");
      return null;
    }
    if (s.startEpochNanos() <= 0 || s.endEpochNanos() < s.startEpochNanos()) {
      reject(rejected, s.spanId(), s.endEpochNanos() < s.startEpochNanos() ? "negative_duration" : "invalid_timestamp");
      return null;
    }
    String parent = s.parentSpanId() == null || s.parentSpanId().isEmpty() ? null : Ids.spanId(s.parentSpanId());
    if (s.parentSpanId() != null && !s.parentSpanId().isEmpty() && parent == null) {
      bad.count("span", "invalid_parent_id");
    }
    String service = s.serviceName() == null || s.serviceName().isBlank() ? "unknown" : s.serviceName();
    if (!service.equals(s.serviceName())) {
      bad.count("span", "unknown_service");
    }
    String op = s.operationName() == null || s.operationName().isBlank() ? "unknown" : s.operationName();
    return sanitize(new SpanData(traceId, spanId, parent, service, op, s.kind(), s.startEpochNanos(), s.endEpochNanos(), s.error(), s.errorMessage(), s.attributes()));
  }

  private void reject(List<SpanRejection> rejected, String spanId, String reason) {
    bad.count("span", reason);
    if (rejected != null) {
      rejected.add(new SpanRejection(spanId, reason));
    }
  }

  /** Masks error messages and attribute values; sensitive attribute keys lose their value. */
  private static SpanData sanitize(SpanData s) {
    Map<String, String> attrs = s.attributes();
    boolean changed = false;
    Map<String, String> masked = new HashMap<>(attrs.size() * 2);
    for (Map.Entry<String, String> e : attrs.entrySet()) {
      String v = Masker.isSensitiveKey(e.getKey()) ? "[secret]" : Masker.mask(e.getValue());
      changed |= !v.equals(e.getValue());
      masked.put(e.getKey(), v);
    }
    String msg = Masker.mask(s.errorMessage());
    if (!changed && msg == s.errorMessage()) {
      return s;
    }
    return new SpanData(s.traceId(), s.spanId(), s.parentSpanId(), s.serviceName(), s.operationName(), s.kind(),
        s.startEpochNanos(), s.endEpochNanos(), s.error(), msg, masked);
  }

  /** Adds one span under the store lock; false (counted) when it is a duplicate or does not fit. */
  private boolean addSpan(StoredTrace t, SpanData s, long size, long now, List<SpanRejection> rejected) {
    if (t.containsSpan(s.spanId())) {
      reject(rejected, s.spanId(), "duplicate_span_id");
      return false;
    }
    if (t.sizeBytes + size > tc.maxTraceSize()) {
      reject(rejected, s.spanId(), "too_large");
      bad.count("trace", "too_large");
      return false;
    }
    t.add(s, size);
    t.lastUpdateNanos = now;
    store.markPending(t);
    return true;
  }

  // ---- completion ----

  /**
   * Completes traces idle for the completion delay (all of them when {@code force}): judges them,
   * counts their structural problems, remembers their anomalies. Returns the new anomalies.
   *
   * <p>Only traces that received spans since they were last judged are visited (the store keeps
   * them in a list), and a small trace without failures or loops is judged from its {@link
   * TraceShape} without building its analysis; queries build that on first use.
   */
  public List<TraceAnomaly> complete(boolean force) {
    drain();
    long now = ticker.read();
    long delay = tc.completionDelay().toNanos();
    List<TraceAnomaly> all = null;
    synchronized (store.lock()) {
      StoredTrace next;
      for (StoredTrace t = store.firstPending(); t != null; t = next) {
        next = t.pendingNext;
        if (t.completed && !t.changed || t.spans.isEmpty()) {
          store.unmarkPending(t);
          continue;
        }
        if (!force && now - t.lastUpdateNanos < delay) {
          continue;
        }
        store.unmarkPending(t);
        boolean first = !t.completed;
        t.completed = true;
        t.changed = false;
        List<TraceAnomaly> anomalies;
        int orphans;
        int cycles;
        if (shape.of(t.spans)) {
          anomalies = judge.judge(t, shape);
          orphans = shape.orphans;
          cycles = 0;
          shape.mainRoot = null;
        } else {
          TraceAnalysis a = t.analysis();
          anomalies = judge.judge(t, a);
          orphans = a.hierarchy().orphans().size();
          cycles = a.hierarchy().cycleBreaks().size();
        }
        if (first) {
          bad.add("span", "unknown_parent", orphans);
          bad.add("span", "cycle", cycles);
        }
        if (anomalies == null || anomalies.isEmpty()) {
          continue;
        }
        for (TraceAnomaly x : anomalies) {
          if (recent.size() >= MAX_RECENT_ANOMALIES) {
            recent.pollFirst();
          }
          recent.addLast(x);
        }
        all = all == null ? new ArrayList<>() : all;
        all.addAll(anomalies);
      }
    }
    if (all == null) {
      return List.of();
    }
    anomalyListener.accept(all);
    return all;
  }

  /** Drops traces past retention. */
  public int purge(long nowMillis) {
    synchronized (store.lock()) {
      return store.purgeBefore(nowMillis - tc.traceRetention().toMillis());
    }
  }

  /** Visits the analyses of traces overlapping {@code [from, to)}, under the store lock. */
  public void forEachAnalysis(long from, long to, Consumer<TraceAnalysis> visitor) {
    drain();
    synchronized (store.lock()) {
      store.forEach(from, to, t -> visitor.accept(t.analysis()));
    }
  }

  /** The analysis of one trace (any case, 16 or 32 digits), or null. */
  public TraceAnalysis analysis(String traceId) {
    String id = Ids.traceId(traceId);
    if (id == null) {
      return null;
    }
    drain();
    synchronized (store.lock()) {
      StoredTrace t = store.get(id);
      return t == null || t.spans.isEmpty() ? null : t.analysis();
    }
  }

  /** Recently completed traces' anomalies, oldest first (a copy). */
  public List<TraceAnomaly> recentAnomalies() {
    synchronized (store.lock()) {
      return new ArrayList<>(recent);
    }
  }

  /** Traces held. */
  public int size() {
    synchronized (store.lock()) {
      return store.size();
    }
  }
}
