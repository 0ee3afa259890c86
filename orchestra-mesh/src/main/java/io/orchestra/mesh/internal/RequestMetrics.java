package io.orchestra.mesh.internal;

import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.mesh.RejectionReason;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Pre-bound metric handles of one destination: the {@code orchestra.mesh.requests} timer per
 * (source, method, status) and the {@code orchestra.mesh.rejections} counter per reason. Handles
 * are created on first use and then found without allocation. Cardinality is bounded: methods
 * outside the common eight are tagged {@code OTHER}, and after {@link #MAX_SOURCES} distinct
 * sources further ones are tagged {@code other}. Thread-safe.
 */
final class RequestMetrics {
  static final String REQUESTS = "orchestra.mesh.requests";
  static final String REJECTIONS = "orchestra.mesh.rejections";
  static final int MAX_SOURCES = 256;
  /** The method tags; the last, {@code OTHER}, stands for every other method. */
  static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"};
  private static final int OUTCOMES = CallOutcome.values().length;
  private static final int SLOTS = 500 + OUTCOMES; // statuses 100..599, then outcomes without response

  private final TelemetrySink sink;
  private final boolean enabled;
  private final String service;
  private final ConcurrentHashMap<String, Source> bySource = new ConcurrentHashMap<>();
  /**
   * The source recorded last: a destination mostly hears from runs of one caller, and comparing
   * its name is cheaper than hashing into the map. Written only when it changes; a Source's
   * fields are final, so a racy read sees a whole one.
   */
  private Source last;
  private final AtomicReferenceArray<TelemetrySink.Counter> rejections =
      new AtomicReferenceArray<>(RejectionReason.values().length);
  /** Set once the destination is dropped; guarded by this object's lock. */
  private boolean retired;

  /** Handles for {@code service} in {@code sink}; records nothing when {@code sink} is null. */
  RequestMetrics(TelemetrySink sink, String service) {
    this.enabled = sink != null;
    this.sink = sink;
    this.service = service;
  }

  /** Records one request; {@code status} 0 means no response arrived and {@code outcome} says why. */
  void record(String source, String method, int status, CallOutcome outcome, long nanos) {
    if (!enabled) {
      return;
    }
    String src = source == null ? "unknown" : source;
    Source from = last;
    if (from == null || !from.name.equals(src)) {
      from = source(src);
    }
    String tag = from.name; // "other" past MAX_SOURCES
    AtomicReferenceArray<AtomicReferenceArray<TelemetrySink.Timer>> byMethod = from.byMethod;
    int m = methodIndex(method);
    AtomicReferenceArray<TelemetrySink.Timer> slots = byMethod.get(m);
    if (slots == null) {
      byMethod.compareAndSet(m, null, new AtomicReferenceArray<>(SLOTS));
      slots = byMethod.get(m);
    }
    int slot = status > 0 ? status - 100 : 500 + outcome.ordinal();
    TelemetrySink.Timer t = slots.get(slot);
    if (t == null && (t = createTimer(slots, slot, tag, m)) == null) {
      return; // retired: the destination was dropped while this request ran
    }
    try {
      t.record(nanos);
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the request still completes.
    }
  }

  /** The handles of source {@code src} (of {@code other} once {@link #MAX_SOURCES} are tracked). */
  private Source source(String src) {
    Source s = bySource.get(src);
    if (s == null) {
      String name = bySource.size() >= MAX_SOURCES ? "other" : src;
      s = bySource.computeIfAbsent(name, Source::new);
    }
    if (s.name.equals(src)) {
      last = s; // only a tracked source: "other" stands for many names
    }
    return s;
  }

  /** One source's timer handles, by method index and then status slot. */
  private static final class Source {
    final String name;
    final AtomicReferenceArray<AtomicReferenceArray<TelemetrySink.Timer>> byMethod =
        new AtomicReferenceArray<>(METHODS.length);

    Source(String name) {
      this.name = name;
    }
  }

  /** Counts one rejection. */
  void rejection(RejectionReason reason) {
    if (!enabled) {
      return;
    }
    TelemetrySink.Counter c = rejections.get(reason.ordinal());
    if (c == null && (c = createRejectionCounter(reason)) == null) {
      return; // retired
    }
    MeshTelemetry.increment(c);
  }

  // Handles are created under this object's lock, which orders creation against retire(): once
  // per handle, so the lock costs nothing per request.

  private synchronized TelemetrySink.Timer createTimer(
      AtomicReferenceArray<TelemetrySink.Timer> slots, int slot, String source, int method) {
    if (retired) {
      return null;
    }
    TelemetrySink.Timer t = slots.get(slot);
    if (t == null) {
      t = MeshTelemetry.timer(sink, REQUESTS, timerTags(source, method, slot));
      slots.set(slot, t);
    }
    return t;
  }

  private synchronized TelemetrySink.Counter createRejectionCounter(RejectionReason reason) {
    if (retired) {
      return null;
    }
    TelemetrySink.Counter c = rejections.get(reason.ordinal());
    if (c == null) {
      c = MeshTelemetry.counter(sink, REJECTIONS, rejectionTags(reason));
      rejections.set(reason.ordinal(), c);
    }
    return c;
  }

  private Tags timerTags(String source, int method, int slot) {
    String status = slot < 500 ? Integer.toString(slot + 100) : CallOutcome.values()[slot - 500].name().toLowerCase(Locale.ROOT);
    return Tags.of("service", service, "source", source, "method", METHODS[method], "status", status);
  }

  private Tags rejectionTags(RejectionReason reason) {
    return Tags.of("service", service, "reason", reason.code());
  }

  /**
   * Removes every meter these handles registered from the sink; none is created afterwards, and
   * handles already read by requests in flight keep working (the sink discards what they record).
   */
  synchronized void retire() {
    if (!enabled || retired) {
      retired = true;
      return;
    }
    retired = true;
    for (Source s : bySource.values()) {
      for (int m = 0; m < METHODS.length; m++) {
        AtomicReferenceArray<TelemetrySink.Timer> slots = s.byMethod.get(m);
        for (int slot = 0; slots != null && slot < SLOTS; slot++) {
          if (slots.get(slot) != null) {
            remove(REQUESTS, timerTags(s.name, m, slot));
          }
        }
      }
    }
    for (RejectionReason r : RejectionReason.values()) {
      if (rejections.get(r.ordinal()) != null) {
        remove(REJECTIONS, rejectionTags(r));
      }
    }
  }

  private void remove(String name, Tags tags) {
    try {
      sink.remove(name, tags);
    } catch (RuntimeException e) {
      // A sink must not throw; if one does, the meter stays.
    }
  }

  /** The index of {@code method} in {@link #METHODS} ({@code OTHER} for the rest). */
  static int methodIndex(String method) {
    if (method == "GET") {
      // Identity on purpose: a literal "GET" (interned), as requests built in code carry, needs
      // no hashing. An equal string that is another object takes the switch, with the same answer.
      return 0;
    }
    switch (method) {
      case "GET":
        return 0;
      case "POST":
        return 1;
      case "PUT":
        return 2;
      case "DELETE":
        return 3;
      case "PATCH":
        return 4;
      case "HEAD":
        return 5;
      case "OPTIONS":
        return 6;
      default:
        return 7;
    }
  }
}
