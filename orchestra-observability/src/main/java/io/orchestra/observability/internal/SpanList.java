package io.orchestra.observability.internal;

import io.orchestra.observability.traces.SpanData;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The spans of one stored trace, in arrival order; append-only. Most sink traces hold one span
 * (each request a new trace), so the first lives in a field and the array behind it exists only
 * from the second span on: a one-span trace's list is one 24-byte object where an {@code
 * ArrayList} of capacity four was 56 bytes in two.
 *
 * <p>Not thread-safe: guarded, like its trace, by the trace store's monitor.
 */
final class SpanList extends AbstractList<SpanData> implements RandomAccess {
  private SpanData first;
  private SpanData[] rest; // the second span on
  private int size;

  @Override
  public SpanData get(int index) {
    Objects.checkIndex(index, size);
    return index == 0 ? first : rest[index - 1];
  }

  @Override
  public int size() {
    return size;
  }

  /** Appends {@code s} (not null). */
  @Override
  public boolean add(SpanData s) {
    Objects.requireNonNull(s, "span");
    if (size == 0) {
      first = s;
    } else {
      int at = size - 1;
      if (rest == null) {
        rest = new SpanData[4];
      } else if (at == rest.length) {
        rest = Arrays.copyOf(rest, rest.length * 2);
      }
      rest[at] = s;
    }
    size++;
    modCount++;
    return true;
  }
}
