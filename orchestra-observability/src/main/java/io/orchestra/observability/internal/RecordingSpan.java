package io.orchestra.observability.internal;

import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.SpanData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A sampled span recorded through the sink: plain fields, attributes in a small array allocated
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
  private Object[] attributes; // key, value, key, value...
  private int attributeCount;
  private boolean ended;

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
    put(key, value);
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
    if (attributes == null) {
      attributes = new Object[8];
    } else if (attributeCount * 2 == attributes.length) {
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeCount * 2] = key;
    attributes[attributeCount * 2 + 1] = value;
    attributeCount++;
  }

  String attribute(String key) {
    for (int i = attributeCount - 1; i >= 0; i--) {
      if (attributes[i * 2].equals(key)) {
        return String.valueOf(attributes[i * 2 + 1]);
      }
    }
    return null;
  }

  /** The collected form; {@code defaultService} when no {@code service}/{@code service.name} attribute. */
  SpanData toSpanData(String defaultService) {
    Map<String, String> attrs = new HashMap<>();
    for (int i = 0; i < attributeCount; i++) {
      attrs.put((String) attributes[i * 2], String.valueOf(attributes[i * 2 + 1]));
    }
    String service = attrs.remove("service.name");
    if (service == null) {
      service = attrs.remove("service");
    }
    return new SpanData(
        Ids.traceId(traceIdHigh, traceIdLow),
        Ids.spanId(spanId),
        parentSpanId == 0 ? null : Ids.spanId(parentSpanId),
        service == null || service.isBlank() ? defaultService : service,
        name == null || name.isBlank() ? "unknown" : name,
        kind,
        startEpochNanos,
        Math.max(startEpochNanos, endEpochNanos),
        error,
        errorMessage == null ? null : Masker.mask(errorMessage),
        attrs);
  }
}
