package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.SpanData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A sampled span recorded through the sink: plain fields, the first attribute in two fields of
 * its own (most spans carry one, so they allocate no array), later ones in an array allocated
 * on first use, and on {@link #end} one offer into the span buffer. Ids stay numeric until the
 * span is drained (hex strings are built off the recording thread).
 *
 * <p>Not thread-safe, as the port specifies: one thread records and ends a span.
 */
final class RecordingSpan implements TelemetrySink.Span {
  private final TracePipeline pipeline;
  final String name;
  final SpanKind kind;
  final long traceIdHigh;
  final long traceIdLow;
  final long spanId;
  final long parentSpanId;
  final long startEpochNanos;
  long endEpochNanos;
  boolean error;
  String errorMessage;
  private String key0; // the first attribute
  private Object value0;
  private Object[] more; // key, value, key, value... from the second attribute on
  private int attributeCount;
  private boolean ended;
  /** The estimated stored size of the last {@link #toSpanData} result. */
  long storedSize;

  RecordingSpan(TracePipeline pipeline, String name, SpanKind kind, long high, long low, long spanId, long parent, long start) {
    this.pipeline = pipeline;
    this.name = name;
    this.kind = kind;
    this.traceIdHigh = high;
    this.traceIdLow = low;
    this.spanId = spanId;
    this.parentSpanId = parent;
    this.startEpochNanos = start;
  }

  @Override
  public TelemetrySink.Span attribute(String key, String value) {
    put(key, value);
    return this;
  }

  @Override
  public TelemetrySink.Span attribute(String key, long value) {
    put(key, SpanAttributeText.box(value)); // small numbers: no Long allocated
    return this;
  }

  @Override
  public TelemetrySink.Span error(String message) {
    this.error = true;
    this.errorMessage = message;
    return this;
  }

  @Override
  public void end(long endNanos) {
    if (ended) {
      return;
    }
    ended = true;
    this.endEpochNanos = endNanos;
    pipeline.offer(this);
  }

  private void put(String key, Object value) {
    if (key == null || value == null || ended) {
      return;
    }
    if (attributeCount == 0) {
      key0 = key;
      value0 = value;
    } else {
      int at = (attributeCount - 1) * 2;
      if (more == null) {
        more = new Object[4];
      } else if (at == more.length) {
        more = Arrays.copyOf(more, more.length * 2);
      }
      more[at] = key;
      more[at + 1] = value;
    }
    attributeCount++;
  }

  private String keyAt(int i) {
    return i == 0 ? key0 : (String) more[(i - 1) * 2];
  }

  private Object valueAt(int i) {
    return i == 0 ? value0 : more[(i - 1) * 2 + 1];
  }

  String attribute(String key) {
    for (int i = attributeCount - 1; i >= 0; i--) {
      if (keyAt(i).equals(key)) {
        return String.valueOf(valueAt(i));
      }
    }
    return null;
  }

  /**
   * The collected form of this span of trace {@code traceId} (its 32-digit text), masked as the
   * store keeps it: attribute values masked, values of sensitive keys replaced, the error message
   * masked; {@code defaultService} when no {@code service}/{@code service.name} attribute. Also sets {@link #storedSize} to the form's {@link
   * StoredTrace#sizeOf(SpanData) size}.
   *
   * <p>This runs once per sampled span on the drain, so the common case (at most one attribute)
   * builds no intermediate map: one attribute becomes a one-entry immutable map directly, and
   * the size is summed here instead of walking the map's entries again. {@code text} and {@code
   * hexScratch} are the drain's own (see {@link SpanAttributeText}, {@link Ids#traceId(long,
   * long, byte[])}).
   */
  SpanData toSpanData(String traceId, String defaultService, SpanAttributeText text, byte[] hexScratch) {
    String service = null;
    Map<String, String> attrs;
    long attrSize = 0;
    if (attributeCount == 0) {
      attrs = Map.of();
    } else if (attributeCount == 1 && !isServiceKey(key0)) {
      String key = key0;
      String value = text.masked(key, value0);
      attrs = Map.of(key, value);
      attrSize = StoredTrace.attributeSize(key, value);
    } else {
      Map<String, String> all = new HashMap<>(attributeCount * 2);
      for (int i = 0; i < attributeCount; i++) {
        all.put(keyAt(i), SpanAttributeText.text(valueAt(i)));
      }
      service = all.remove("service.name");
      if (service == null) {
        service = all.remove("service");
      }
      for (Map.Entry<String, String> e : all.entrySet()) {
        e.setValue(text.masked(e.getKey(), e.getValue()));
        attrSize += StoredTrace.attributeSize(e.getKey(), e.getValue());
      }
      attrs = all;
    }
    String id = Ids.spanId(spanId, hexScratch);
    String svc = service == null || service.isBlank() ? defaultService : service;
    String op = name == null || name.isBlank() ? "unknown" : name;
    String message = Masker.mask(errorMessage);
    storedSize = StoredTrace.sizeOf(id, svc, op, message) + attrSize;
    return new SpanData(
        traceId,
        id,
        parentSpanId == 0 ? null : Ids.spanId(parentSpanId, hexScratch),
        svc,
        op,
        kind,
        startEpochNanos,
        Math.max(startEpochNanos, endEpochNanos),
        error,
        message,
        attrs);
  }

  private static boolean isServiceKey(String key) {
    return key.equals("service.name") || key.equals("service");
  }
}
