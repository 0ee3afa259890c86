package io.orchestra.observability.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bounded multi-producer, single-consumer ring between span recording and the trace store.
 * Producers claim a slot with one CAS and publish with a lazy set; the consumer (under the trace
 * pipeline's lock) drains in order. When the ring is full the span is refused and the caller
 * (the trace pipeline) either drains the ring itself before offering again or drops the span,
 * as OpenTelemetry's batch processor does ({@code tracing.whenBufferFull}).
 *
 * <p>Thread-safe for any number of producers and one consumer at a time.
 */
final class SpanBuffer {
  private final AtomicReferenceArray<RecordingSpan> slots;
  private final int mask;
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong head = new AtomicLong();

  SpanBuffer(int capacity) {
    this.slots = new AtomicReferenceArray<>(capacity);
    this.mask = capacity - 1;
  }

  /** Adds {@code span}; false when full. */
  boolean offer(RecordingSpan span) {
    long t;
    do {
      t = tail.get();
      if (t - head.get() > mask) {
        return false;
      }
    } while (!tail.compareAndSet(t, t + 1));
    slots.lazySet((int) (t & mask), span);
    return true;
  }

  /** Spans waiting. */
  long pending() {
    return tail.get() - head.get();
  }

  /** Capacity. */
  int capacity() {
    return mask + 1;
  }

  /** Hands every published span to {@code sink}, in claim order; single consumer only. */
  int drain(Consumer<RecordingSpan> sink) {
    long h = head.get();
    long t = tail.get();
    int n = 0;
    while (h < t) {
      int i = (int) (h & mask);
      RecordingSpan s = slots.get(i);
      if (s == null) {
        break; // claimed but not yet published; the next drain takes it
      }
      slots.lazySet(i, null);
      h++;
      head.lazySet(h);
      sink.accept(s);
      n++;
    }
    return n;
  }
}
